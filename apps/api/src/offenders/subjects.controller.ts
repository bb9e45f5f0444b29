import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { type TenantScope, ROLES } from '@app/auth';
import { Clock } from '@app/database';
import { normaliseRegistration, type SubjectFields } from '@app/offenders';
import { DomainError } from '@app/errors';
import { Roles, Scope } from '../auth/access.decorators';
import type { HubRequest } from '../http/request';
import { SearchPageQuery } from '../http/page.query';
import { pageOf, type PageResponse } from '../http/page.response';
import { UuidParam } from '../http/uuid.pipe';
import {
  CreateSubjectRequest,
  LinkIncidentRequest,
  LinkResponse,
  SubjectDescriptionDto,
  SubjectImageResponse,
  SubjectResponse,
  SuggestionResponse,
  UnlinkIncidentRequest,
  UpdateSubjectRequest,
  type VehicleDto,
} from './dto';
import { OffenderFilesService } from './offenders.service';
import { ApiErrors, ApiFileResponse, ListOf, PageOf } from '../http/openapi';
import { SubjectsService } from './subjects.service';

/** Tablets never see subjects or galleries: a customer could see the screen (brief 2, 7.6). */
export function refuseDevices(scope: TenantScope): void {
  if (scope.actorKind === 'device') {
    throw DomainError.forbidden('Galleries are never shown on shared till tablets');
  }
}

function description(d: SubjectDescriptionDto): SubjectFields['description'] {
  return {
    apparentAgeRange: d.apparentAgeRange ?? null,
    height: d.height ?? null,
    build: d.build ?? null,
    hair: d.hair ?? null,
    usualClothing: d.usualClothing ?? null,
    distinguishingMarks: d.distinguishingMarks ?? null,
    notes: d.notes ?? null,
  };
}

function vehicles(v: VehicleDto[]): SubjectFields['vehicles'] {
  return v.map((x) => ({
    registration: normaliseRegistration(x.registration),
    make: x.make ?? null,
    model: x.model ?? null,
    colour: x.colour ?? null,
  }));
}

@ApiTags('offenders')
@ApiBearerAuth()
@Controller('subjects')
export class SubjectsController {
  constructor(
    private readonly subjects: SubjectsService,
    private readonly files: OffenderFilesService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles(...ROLES.managers)
  @ApiCreatedResponse({ type: SubjectResponse })
  @ApiErrors(400, 401, 403, 409)
  async create(@Scope() scope: TenantScope, @Body() body: CreateSubjectRequest): Promise<SubjectResponse> {
    if (body.kind === 'known' && !body.name) {
      throw DomainError.invalid('name', 'is required for a known subject');
    }
    const s = await this.subjects.create(scope, {
      kind: body.kind,
      name: body.name ?? null,
      aliases: body.aliases ?? [],
      description: description(body.description),
      vehicles: vehicles(body.vehicles ?? []),
      juvenile: body.juvenile ?? false,
    });
    return SubjectResponse.from(s);
  }

  /** Subjects the caller may see, or those a search finds; every one returned is logged as consulted. */
  @Get()
  @Roles(...ROLES.members)
  @ApiOkResponse({ type: PageOf(SubjectResponse) })
  @ApiErrors(400, 401, 403)
  async list(@Scope() scope: TenantScope, @Query() q: SearchPageQuery): Promise<PageResponse<SubjectResponse>> {
    refuseDevices(scope);
    return pageOf(await this.subjects.list(scope, this.clock.now(), q), SubjectResponse.from);
  }

  @Get(':id')
  @Roles(...ROLES.members)
  @ApiOkResponse({ type: SubjectResponse })
  @ApiErrors(400, 401, 403, 404)
  async get(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<SubjectResponse> {
    refuseDevices(scope);
    const now = this.clock.now();
    return SubjectResponse.full(await this.subjects.read(scope, id, now), now);
  }

  @Patch(':id')
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: SubjectResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async update(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: UpdateSubjectRequest,
  ): Promise<SubjectResponse> {
    const s = await this.subjects.update(scope, id, {
      ...(body.kind ? { kind: body.kind } : {}),
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.aliases ? { aliases: body.aliases } : {}),
      ...(body.description ? { description: description(body.description) } : {}),
      ...(body.vehicles ? { vehicles: vehicles(body.vehicles) } : {}),
      ...(body.juvenile !== undefined ? { juvenile: body.juvenile } : {}),
    });
    return SubjectResponse.from(s);
  }

  /** Adds an image: the raw file as application/octet-stream, its SHA-256 in x-content-sha256. */
  @Post(':id/images')
  @Roles(...ROLES.managers)
  @ApiConsumes('application/octet-stream')
  @ApiHeader({ name: 'x-content-sha256', required: true, description: 'SHA-256 of the file (hex)' })
  @ApiCreatedResponse({ type: SubjectImageResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async addImage(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Headers('x-content-sha256') sha256: string | undefined,
    @Headers('content-length') length: string | undefined,
    @Req() req: HubRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubjectImageResponse> {
    const n = length ? Number(length) : null;
    const { image, created } = await this.files.addImage(
      scope,
      id,
      sha256,
      req.body as Readable,
      Number.isFinite(n) ? n : null,
    );
    void reply.status(created ? 201 : 200);
    return SubjectImageResponse.from(image);
  }

  @Get(':id/incidents')
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: ListOf(LinkResponse) })
  @ApiErrors(400, 401, 403, 404)
  async links(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
  ): Promise<{ items: LinkResponse[] }> {
    return { items: (await this.subjects.links(scope, id)).map(LinkResponse.from) };
  }

  /** A coordinator confirms that the subject was an offender in the incident. */
  @Post(':id/incidents')
  @Roles(...ROLES.managers)
  @ApiCreatedResponse({ type: LinkResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async link(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: LinkIncidentRequest,
  ): Promise<LinkResponse> {
    return LinkResponse.from(await this.subjects.link(scope, id, body.incidentId, body.note ?? null));
  }

  @Post(':id/incidents/unlink')
  @HttpCode(204)
  @Roles(...ROLES.managers)
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 409)
  async unlink(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: UnlinkIncidentRequest,
  ): Promise<void> {
    await this.subjects.unlink(scope, id, body.incidentId, body.reason);
  }

  /** Possible links, for a coordinator to confirm; nothing is linked by itself. */
  @Get(':id/suggestions')
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: ListOf(SuggestionResponse) })
  @ApiErrors(400, 401, 403, 404)
  async suggestions(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
  ): Promise<{ items: SuggestionResponse[] }> {
    return {
      items: (await this.subjects.suggestions(scope, id, this.clock.now())).map(SuggestionResponse.from),
    };
  }
}

@ApiTags('offenders')
@ApiBearerAuth()
@Controller('subject-images')
export class SubjectImagesController {
  constructor(private readonly files: OffenderFilesService) {}

  /** The metadata-stripped viewing copy, as a download; logged as consulted. */
  @Get(':id/view')
  @Roles(...ROLES.members)
  @ApiFileResponse('application/octet-stream')
  @ApiErrors(400, 401, 403, 404)
  async view(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    refuseDevices(scope);
    const { image, path } = await this.files.viewImage(scope, id);
    void reply.headers({
      'content-security-policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    });
    return new StreamableFile(await this.files.open(path), {
      type: image.mediaType,
      disposition: `attachment; filename="subject-image-${image.id}"`,
    });
  }
}
