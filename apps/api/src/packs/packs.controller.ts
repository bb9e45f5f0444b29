import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiProduces,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { type TenantScope, ROLES } from '@app/auth';
import { type EvidencePack } from '@app/cases';
import { DomainError, ErrorCode, IsHumanText } from '@app/errors';
import { ObjectStorage } from '@app/storage';
import { Roles, Scope } from '../auth/access.decorators';
import { PackRateLimiter } from '../http/actor-rate-limiter';
import { UuidParam } from '../http/uuid.pipe';
import { PacksService } from './packs.service';
import { ApiErrors, ApiFileResponse, ListOf } from '../http/openapi';
import { RequiredText } from '../http/text-fields';

export class DownloadPackRequest {
  /** who receives the pack (e.g. "CPS Wessex, reviewing lawyer A. Khan") */
  @ApiProperty({
    type: String,
    description: 'who receives the pack (e.g. "CPS Wessex, reviewing lawyer A. Khan")',
  })
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  @IsHumanText()
  recipient: string;

  @RequiredText(3, 1000, true)
  purpose: string;
}

export class PackProgressResponse {
  @ApiProperty({ type: Number })
  done: number;
  @ApiProperty({ type: Number })
  total: number;
  @ApiProperty({ type: String, nullable: true })
  stage: string | null;
}

export class PackCheckpointResponse {
  @ApiProperty({ type: Number })
  seq: number;
  @ApiProperty({ type: String })
  headHash: string;
}

export class PackResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  caseId: string;
  @ApiProperty({ type: String })
  status: string;
  @ApiProperty({ type: () => PackProgressResponse })
  progress: PackProgressResponse;
  @ApiProperty({ type: String, nullable: true })
  error: string | null;
  @ApiProperty({ type: String, nullable: true })
  sha256: string | null;
  @ApiProperty({ type: Number, nullable: true })
  sizeBytes: number | null;
  @ApiProperty({ type: Number, nullable: true })
  fileCount: number | null;
  @ApiProperty({ type: () => PackCheckpointResponse, nullable: true })
  checkpoint: PackCheckpointResponse | null;
  @ApiProperty({ type: String, nullable: true })
  keyFingerprint: string | null;
  @ApiProperty({ type: Number, nullable: true })
  builderMaxRssBytes: number | null;
  @ApiProperty({ type: Number, nullable: true })
  buildMs: number | null;
  @ApiProperty({ type: String, nullable: true })
  readyAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  expiresAt: string | null;
  @ApiProperty({ type: String })
  createdAt: string;

  static from(p: EvidencePack): PackResponse {
    return {
      id: p.id,
      caseId: p.caseId,
      status: p.status,
      progress: { done: p.progressDone, total: p.progressTotal, stage: p.stage },
      error: p.error,
      sha256: p.sha256,
      sizeBytes: p.sizeBytes === null ? null : Number(p.sizeBytes),
      fileCount: p.fileCount,
      checkpoint:
        p.checkpointSeq === null ? null : { seq: p.checkpointSeq, headHash: p.checkpointHash ?? '' },
      keyFingerprint: p.keyFingerprint,
      builderMaxRssBytes: p.builderMaxRssBytes === null ? null : Number(p.builderMaxRssBytes),
      buildMs: p.buildMs,
      readyAt: p.readyAt ? p.readyAt.toISOString() : null,
      expiresAt: p.expiresAt ? p.expiresAt.toISOString() : null,
      createdAt: p.createdAt.toISOString(),
    };
  }
}

/** CPS evidence packs: built by the worker, downloaded as a logged disclosure, then expire. */
@ApiTags('packs')
@ApiBearerAuth()
@Controller()
export class PacksController {
  constructor(
    private readonly packs: PacksService,
    private readonly limiter: PackRateLimiter,
    private readonly storage: ObjectStorage,
  ) {}

  /** Queues a build; poll GET /packs/{id} for progress. At most PACK_RATE_LIMIT_PER_HOUR an hour. */
  @Post('cases/:id/packs')
  @HttpCode(202)
  @Roles(...ROLES.police)
  @ApiAcceptedResponse({ type: PackResponse })
  @ApiErrors(400, 401, 403, 404, 409, 429)
  async build(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<PackResponse> {
    await this.limiter.consume(scope.actorId);
    return PackResponse.from(await this.packs.request(scope, id));
  }

  @Get('cases/:id/packs')
  @Roles(...ROLES.police)
  @ApiOkResponse({ type: ListOf(PackResponse) })
  @ApiErrors(400, 401, 403, 404)
  async list(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
  ): Promise<{ items: PackResponse[] }> {
    return { items: (await this.packs.ofCase(scope, id)).map(PackResponse.from) };
  }

  @Get('packs/:id')
  @Roles(...ROLES.police)
  @ApiOkResponse({ type: PackResponse })
  @ApiErrors(400, 401, 403, 404)
  async get(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<PackResponse> {
    return PackResponse.from(await this.packs.get(scope, id));
  }

  /** The ZIP. Logged first as a disclosure to `recipient` (access log and the case's chain). */
  @Post('packs/:id/download')
  @HttpCode(200)
  @Roles(...ROLES.police)
  @ApiProduces('application/zip')
  @ApiFileResponse('application/zip')
  @ApiErrors(400, 401, 403, 404, 409)
  async download(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: DownloadPackRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const pack = await this.packs.disclose(scope, id, body.recipient, body.purpose);
    const zip = await this.storage.get(pack.storagePath);
    if (!zip) {
      // expired (and deleted) between the check and now
      throw new DomainError(ErrorCode.Conflict, 'The pack is no longer stored; request a new one');
    }
    void reply.header('content-type', 'application/zip');
    void reply.header('content-disposition', `attachment; filename="evidence-pack-${pack.id}.zip"`);
    void reply.header('x-content-sha256', pack.sha256 ?? '');
    void reply.header('cache-control', 'no-store');
    return new StreamableFile(zip, {
      length: pack.sizeBytes === null ? undefined : Number(pack.sizeBytes),
    });
  }
}
