import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
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
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { storeFilterFor, type TenantScope, ROLES } from '@app/auth';
import { AppConfig } from '@app/config';
import { Clock } from '@app/database';
import { generatorName } from '@app/evidence';
import { exclusionApplies, exclusionLetterPdf } from '@app/offenders';
import { Roles, Scope } from '../auth/access.decorators';
import type { HubRequest } from '../http/request';
import { UuidParam } from '../http/uuid.pipe';
import { AppealRequest, ExclusionResponse, ExclusionsQuery, IssueExclusionRequest } from './dto';
import { ExclusionsService } from './exclusions.service';
import { OffenderFilesService } from './offenders.service';
import { ApiErrors, ApiFileResponse, ListOf, PageOf } from '../http/openapi';
import { pageOf, type PageResponse } from '../http/page.response';
import { pdfFile } from '../http/pdf-file';

@ApiTags('offenders')
@ApiBearerAuth()
@Controller()
export class ExclusionsController {
  constructor(
    private readonly exclusions: ExclusionsService,
    private readonly files: OffenderFilesService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  private view() {
    return ExclusionResponse.at(this.clock.now(), exclusionApplies);
  }

  /** Records a served exclusion notice (default term: the partnership's, 12 months). */
  @Post('subjects/:id/exclusion-notices')
  @Roles(...ROLES.storeManagers)
  @ApiCreatedResponse({ type: ExclusionResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async issue(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: IssueExclusionRequest,
  ): Promise<ExclusionResponse> {
    const n = await this.exclusions.issue(scope, id, {
      storeIds: body.storeIds ?? [],
      area: body.area ?? null,
      reason: body.reason,
      incidentIds: body.incidentIds ?? [],
      servedAt: new Date(body.servedAt),
      servedByName: body.servedByName,
      serviceMethod: body.serviceMethod,
      acknowledgement: body.acknowledgement ?? null,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
    });
    return this.view()(n);
  }

  @Get('subjects/:id/exclusion-notices')
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: ListOf(ExclusionResponse) })
  @ApiErrors(400, 401, 403, 404)
  async forSubject(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
  ): Promise<{ items: ExclusionResponse[] }> {
    return { items: (await this.exclusions.forSubject(scope, id)).map(this.view()) };
  }

  /** Notices that apply now (expired or overturned ones stop applying by themselves), newest first. */
  @Get('exclusion-notices')
  @Roles(...ROLES.storeManagers)
  @ApiOkResponse({ type: PageOf(ExclusionResponse) })
  @ApiErrors(400, 401, 403)
  async applying(
    @Scope() scope: TenantScope,
    @Query() q: ExclusionsQuery,
  ): Promise<PageResponse<ExclusionResponse>> {
    const own = storeFilterFor(scope);
    const storeId = own ?? q.storeId ?? null;
    return pageOf(await this.exclusions.applying(scope, storeId, q), this.view());
  }

  @Post('exclusion-notices/:id/appeal')
  @HttpCode(200)
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: ExclusionResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async appeal(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: AppealRequest,
  ): Promise<ExclusionResponse> {
    const n = await this.exclusions.appeal(scope, id, body.status, body.outcome ?? null, body.note ?? null);
    return this.view()(n);
  }

  /**
   * The served copy as an A4 PDF letter to the person excluded: premises, reason, term, that it is
   * the occupiers' civil right, what happens on a return, how to appeal, how and when it was served,
   * and a space to acknowledge receipt. Logged as a disclosure to the person; a store manager prints
   * only notices naming their own store.
   */
  @Get('exclusion-notices/:id/letter.pdf')
  @Roles(...ROLES.storeManagers)
  @ApiFileResponse('application/pdf')
  @ApiErrors(400, 401, 403, 404)
  async letter(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const letter = await this.exclusions.letter(scope, id);
    const doc = exclusionLetterPdf(
      letter,
      this.clock.now().toISOString(),
      generatorName(this.config.packs.build),
    );
    return pdfFile(doc, `exclusion-notice-${letter.subject.reference}.pdf`, reply);
  }

  /** Proof of service (a photo or scan of the notice), stored as evidence: raw body, SHA-256 header. */
  @Post('exclusion-notices/:id/proof')
  @HttpCode(200)
  @Roles(...ROLES.managers)
  @ApiConsumes('application/octet-stream')
  @ApiHeader({ name: 'x-content-sha256', required: true, description: 'SHA-256 of the file (hex)' })
  @ApiOkResponse({ type: ExclusionResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async proof(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Headers('x-content-sha256') sha256: string | undefined,
    @Headers('content-length') length: string | undefined,
    @Req() req: HubRequest,
  ): Promise<ExclusionResponse> {
    const n = length ? Number(length) : null;
    return this.view()(
      await this.files.attachProof(scope, id, sha256, req.body as Readable, Number.isFinite(n) ? n : null),
    );
  }
}
