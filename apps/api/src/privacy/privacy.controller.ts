import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role, type TenantScope } from '@app/auth';
import { AppConfig } from '@app/config';
import { SUBJECT_ACCESS_SECTIONS, SubjectAccessRepository } from '@app/privacy';
import { DomainError, ErrorCode } from '@app/errors';
import { Roles, Scope } from '../auth/access.decorators';
import { SubjectAccessRequest, SubjectAccessResponse } from './dto/subject-access.dto';
import { ApiErrors } from '../http/openapi';

/** Data-subject rights: the subject access export (one month to answer, no extension). */
@ApiTags('privacy')
@ApiBearerAuth()
@Roles(Role.Coordinator, Role.Admin)
@Controller('privacy')
export class PrivacyController {
  constructor(
    private readonly sar: SubjectAccessRepository,
    private readonly config: AppConfig,
  ) {}

  /** Everything the partnership holds about one person, third parties redacted; logged as a disclosure. */
  @Post('subject-access')
  @HttpCode(200)
  @ApiOkResponse({ type: SubjectAccessResponse })
  @ApiErrors(400, 401, 409)
  async subjectAccess(
    @Scope() scope: TenantScope,
    @Body() body: SubjectAccessRequest,
  ): Promise<SubjectAccessResponse> {
    if (!body.email && !body.name) {
      throw DomainError.invalid('email', 'give an e-mail or a name');
    }
    const user = body.email ? await this.sar.findUser(scope, body.email) : null;
    if (body.email && !user && !body.name) {
      throw new DomainError(ErrorCode.NotFound, 'no user of this partnership has that e-mail');
    }
    const name = body.name ?? user?.displayName ?? null;
    return SubjectAccessResponse.from(
      await this.sar.export(
        scope,
        { userId: user?.id ?? null, email: body.email ?? null, name },
        body.justification ?? 'subject access request',
        // P2's negative control leaves one table out (TEST_DEFECTS=sar-skips-subject-links, tests only)
        this.config.testDefects.has('sar-skips-subject-links')
          ? SUBJECT_ACCESS_SECTIONS.filter((s) => s.name !== 'subjectLinks')
          : SUBJECT_ACCESS_SECTIONS,
      ),
    );
  }
}
