import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type TenantScope, ROLES } from '@app/auth';
import { AppConfig } from '@app/config';
import { Clock } from '@app/database';
import { generatorName } from '@app/evidence';
import { galleryBriefingPdf } from '@app/offenders';
import { Roles, Scope } from '../auth/access.decorators';
import { UuidParam } from '../http/uuid.pipe';
import {
  CreateGalleryRequest,
  DelistRequest,
  GalleryResponse,
  GallerySubjectResponse,
  ListingResponse,
  ListListingsQuery,
  ProposeListingRequest,
  RenewListingRequest,
  ReviewListingRequest,
  SubjectImageResponse,
  SubjectResponse,
} from './dto';
import { GalleriesService } from './galleries.service';
import { refuseDevices } from './subjects.controller';
import { ApiErrors, ApiFileResponse, ListOf, PageOf } from '../http/openapi';
import { PageQuery } from '../http/page.query';
import { pageOf, type PageResponse } from '../http/page.response';
import { pdfFile } from '../http/pdf-file';

@ApiTags('offenders')
@ApiBearerAuth()
@Controller('galleries')
export class GalleriesController {
  constructor(
    private readonly galleries: GalleriesService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @Roles(...ROLES.managers)
  @ApiCreatedResponse({ type: GalleryResponse })
  @ApiErrors(400, 401, 403, 409)
  async create(@Scope() scope: TenantScope, @Body() body: CreateGalleryRequest): Promise<GalleryResponse> {
    return GalleryResponse.from(
      await this.galleries.create(scope, {
        name: body.name,
        purpose: body.purpose ?? null,
        defaultListingDays: body.defaultListingDays,
        audienceRoles: body.audienceRoles,
      }),
    );
  }

  /** The galleries shown to the caller's role, newest first. */
  @Get()
  @Roles(...ROLES.members)
  @ApiOkResponse({ type: PageOf(GalleryResponse) })
  @ApiErrors(400, 401, 403)
  async list(@Scope() scope: TenantScope, @Query() q: PageQuery): Promise<PageResponse<GalleryResponse>> {
    refuseDevices(scope);
    return pageOf(await this.galleries.list(scope, q), GalleryResponse.from);
  }

  /** The subjects currently listed: a gallery view, each subject logged as consulted. */
  @Get(':id/subjects')
  @Roles(...ROLES.members)
  @ApiOkResponse({ type: ListOf(GallerySubjectResponse) })
  @ApiErrors(400, 401, 403, 404)
  async subjects(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
  ): Promise<{ items: GallerySubjectResponse[] }> {
    refuseDevices(scope);
    const now = this.clock.now();
    const rows = await this.galleries.subjects(scope, id, now);
    return {
      items: rows.map((r) => ({
        ...SubjectResponse.from(r.subject),
        images: r.images.map(SubjectImageResponse.from),
        listing: ListingResponse.at(now)(r.listing),
      })),
    };
  }

  /**
   * The gallery's briefing sheet for member shops, as an A4 PDF: each listed subject with reference,
   * photos, description, why listed and when the listing ends, with the fair-process and
   * data-protection notes; watermarked with who printed it. Shown to exactly those who may view the
   * gallery; each subject and photo printed is logged as disclosed to the caller.
   */
  @Get(':id/briefing.pdf')
  @Roles(...ROLES.members)
  @ApiFileResponse('application/pdf')
  @ApiErrors(400, 401, 403, 404)
  async briefing(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    refuseDevices(scope);
    const now = this.clock.now();
    const sheet = await this.galleries.briefing(scope, id, now);
    const doc = galleryBriefingPdf(sheet, now.toISOString(), generatorName(this.config.packs.build));
    return pdfFile(doc, `gallery-briefing-${now.toISOString().slice(0, 10)}.pdf`, reply);
  }

  /** Proposes a subject for this gallery with a reason resting on linked incidents. */
  @Post(':id/listings')
  @Roles(...ROLES.storeManagers)
  @ApiCreatedResponse({ type: ListingResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async propose(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: ProposeListingRequest,
  ): Promise<ListingResponse> {
    const l = await this.galleries.propose(scope, id, body.subjectId, body.reason, body.incidentIds);
    return ListingResponse.at(this.clock.now())(l);
  }
}

@ApiTags('offenders')
@ApiBearerAuth()
@Controller('gallery-listings')
export class ListingsController {
  constructor(
    private readonly galleries: GalleriesService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: PageOf(ListingResponse) })
  @ApiErrors(400, 401, 403)
  async list(
    @Scope() scope: TenantScope,
    @Query() q: ListListingsQuery,
  ): Promise<PageResponse<ListingResponse>> {
    return pageOf(await this.galleries.listings(scope, q.state ?? null, q), ListingResponse.at(this.clock.now()));
  }

  /** A second person (coordinator or admin) approves or rejects a proposed listing. */
  @Post(':id/review')
  @HttpCode(200)
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: ListingResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async review(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: ReviewListingRequest,
  ): Promise<ListingResponse> {
    const now = this.clock.now();
    return ListingResponse.at(now)(
      await this.galleries.review(scope, id, body.decision === 'approve', body.note ?? null, now),
    );
  }

  @Post(':id/delist')
  @HttpCode(200)
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: ListingResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async delist(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: DelistRequest,
  ): Promise<ListingResponse> {
    const now = this.clock.now();
    return ListingResponse.at(now)(await this.galleries.delist(scope, id, body.reason, now));
  }

  /** Renews a listing for another term: only with incidents newer than the listing or last renewal. */
  @Post(':id/renew')
  @HttpCode(200)
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: ListingResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async renew(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: RenewListingRequest,
  ): Promise<ListingResponse> {
    const now = this.clock.now();
    return ListingResponse.at(now)(await this.galleries.renew(scope, id, body.incidentIds, body.reason, now));
  }
}
