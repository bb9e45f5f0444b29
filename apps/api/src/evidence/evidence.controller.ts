import { Controller, Get, Headers, Param, Put, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { type TenantScope, ROLES } from '@app/auth';
import { DATE_RANGES, DomainError, humanTextProblem, zonedDateTimeProblem } from '@app/errors';
import { Roles, Scope } from '../auth/access.decorators';
import type { HubRequest } from '../http/request';
import { UuidParam } from '../http/uuid.pipe';
import { ExhibitResponse } from './dto/exhibit.dto';
import type { DerivativeKind } from '@app/incidents';
import { EvidenceService, type UploadMeta } from './evidence.service';
import { ACCEPTED } from './magic';
import { ApiErrors, ApiFileResponse, ListOf } from '../http/openapi';

/**
 * Evidence on a report. Upload is `PUT …/evidence/<sha256>` with the raw file as an
 * `application/octet-stream` body (no multipart) and metadata in headers; it is idempotent by
 * content: the same file again answers 200 with the same exhibit.
 */
@ApiTags('evidence')
@ApiBearerAuth()
@Controller('incidents/:incidentId/evidence')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Put(':sha256')
  @Roles(...ROLES.reportHandlers)
  @ApiConsumes('application/octet-stream')
  @ApiHeader({
    name: 'x-evidence-producer',
    required: true,
    description: 'who produces the exhibit (URI-encoded)',
  })
  @ApiHeader({
    name: 'x-evidence-filename',
    required: false,
    description: 'original file name (URI-encoded)',
  })
  @ApiHeader({
    name: 'x-evidence-captured-at',
    required: false,
    description: 'capture time, ISO 8601 with a timezone (Z or ±hh:mm)',
  })
  @ApiHeader({
    name: 'x-evidence-clock-offset',
    required: false,
    description: 'recorder clock minus true time (s)',
  })
  @ApiOkResponse({ type: ExhibitResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async upload(
    @Scope() scope: TenantScope,
    @Param('incidentId', UuidParam) incidentId: string,
    @Param('sha256') sha256: string,
    @Headers() headers: Record<string, string | undefined>,
    @Req() req: HubRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ExhibitResponse> {
    const hash = sha256.toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hash)) {
      throw DomainError.invalid('sha256', 'must be the 64 hex digits of the file’s SHA-256');
    }
    const meta = uploadMeta(headers);
    const length = headers['content-length'] ? Number(headers['content-length']) : null;
    const { exhibit, created } = await this.evidence.upload(
      scope,
      incidentId,
      hash,
      meta,
      req.body as Readable,
      Number.isFinite(length) ? length : null,
    );
    void reply.status(created ? 201 : 200);
    return ExhibitResponse.from(exhibit);
  }

  @Get()
  @Roles(...ROLES.reportHandlers)
  @ApiOkResponse({ type: ListOf(ExhibitResponse) })
  @ApiErrors(400, 401, 403, 404)
  async list(
    @Scope() scope: TenantScope,
    @Param('incidentId', UuidParam) incidentId: string,
  ): Promise<{ items: ExhibitResponse[] }> {
    return { items: (await this.evidence.list(scope, incidentId)).map(ExhibitResponse.from) };
  }

  /** The metadata-free viewing copy (auto-rotated, at most 2048 px), for display in the page. */
  @Get(':exhibitId/view')
  @Roles(...ROLES.reportHandlers)
  @ApiFileResponse('image/*')
  @ApiErrors(400, 401, 403, 404, 409)
  view(
    @Scope() scope: TenantScope,
    @Param('incidentId', UuidParam) incidentId: string,
    @Param('exhibitId', UuidParam) exhibitId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return this.serve(scope, incidentId, exhibitId, 'metadata_stripped', reply);
  }

  /** A small metadata-free JPEG of the exhibit, for lists; logged like a view. */
  @Get(':exhibitId/thumbnail')
  @Roles(...ROLES.reportHandlers)
  @ApiFileResponse('image/jpeg')
  @ApiErrors(400, 401, 403, 404, 409)
  thumbnail(
    @Scope() scope: TenantScope,
    @Param('incidentId', UuidParam) incidentId: string,
    @Param('exhibitId', UuidParam) exhibitId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return this.serve(scope, incidentId, exhibitId, 'thumbnail', reply);
  }

  /**
   * An image type with nosniff, so the browser never reads it as anything else; a sandbox CSP, so
   * nothing in it runs even if opened on its own; no-store, so evidence stays out of every cache.
   * The page shows it from a blob URL (the route needs the bearer token), which ignores the
   * disposition, so it stays `attachment` (quality programme S3: opened directly, it downloads).
   */
  private async serve(
    scope: TenantScope,
    incidentId: string,
    exhibitId: string,
    kind: DerivativeKind,
    reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { exhibit, derivative, path } = await this.evidence.view(scope, incidentId, exhibitId, kind);
    const ext = ACCEPTED[derivative.mediaType as keyof typeof ACCEPTED] ?? 'bin';
    const suffix = kind === 'thumbnail' ? '-thumbnail' : '';
    void reply.headers({
      'content-security-policy': "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'x-evidence-sha256': derivative.sha256,
      'x-evidence-parent-sha256': derivative.parentSha256,
      'cache-control': 'private, no-store',
    });
    return new StreamableFile(await this.evidence.open(path), {
      type: derivative.mediaType,
      length: Number(derivative.sizeBytes),
      disposition: `attachment; filename="${exhibit.reference.replace('/', '-')}${suffix}.${ext}"`,
    });
  }
}

function decode(field: string, value: string | undefined, max: number): string | null {
  if (value === undefined || value === '') {
    return null;
  }
  let text: string;
  try {
    text = decodeURIComponent(value);
  } catch {
    throw DomainError.invalid(field, 'must be URI-encoded');
  }
  if (text.length > max) {
    throw DomainError.invalid(field, `must be at most ${max} characters`);
  }
  const problem = humanTextProblem(text);
  if (problem) {
    throw DomainError.invalid(field, problem);
  }
  return text.trim() || null;
}

function uploadMeta(h: Record<string, string | undefined>): UploadMeta {
  const producerName = decode('x-evidence-producer', h['x-evidence-producer'], 200);
  if (!producerName) {
    throw DomainError.invalid(
      'x-evidence-producer',
      'is required: the name of the person producing the exhibit',
    );
  }
  const originalName = decode('x-evidence-filename', h['x-evidence-filename'], 255);
  if (
    originalName &&
    (/[/\\]/.test(originalName) || originalName.includes('..') || originalName.startsWith('.'))
  ) {
    throw DomainError.invalid('x-evidence-filename', 'must be a plain file name (no folders, no "..")');
  }
  const capturedRaw = h['x-evidence-captured-at'];
  let capturedAt: Date | null = null;
  if (capturedRaw) {
    const problem = zonedDateTimeProblem(capturedRaw, DATE_RANGES.past);
    if (problem) {
      throw DomainError.invalid('x-evidence-captured-at', problem);
    }
    capturedAt = new Date(capturedRaw);
  }
  const offsetRaw = h['x-evidence-clock-offset'];
  let clockOffsetSeconds: number | null = null;
  if (offsetRaw !== undefined && offsetRaw !== '') {
    clockOffsetSeconds = Number(offsetRaw);
    if (!/^-?\d{1,7}$/.test(offsetRaw) || Math.abs(clockOffsetSeconds) > 7 * 24 * 3600) {
      throw DomainError.invalid('x-evidence-clock-offset', 'must be whole seconds within a week either way');
    }
  }
  return { producerName, originalName, capturedAt, clockOffsetSeconds };
}
