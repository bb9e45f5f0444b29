import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import {
  type ImpactStatement,
  ImpactStatementRepository,
  IncidentAccess,
  signStatement,
  StatementRepository,
  type WitnessStatement,
} from '@app/incidents';
import { DomainError } from '@app/errors';
import type { CreateImpactStatementRequest } from './dto/impact-statement.dto';
import type { CreateStatementRequest } from './dto/statement.dto';

/**
 * Statements given with a report: MG11 witness statements (taken signed, never edited, corrected by
 * new versions) and impact statements (ISB, VPS; kept as given).
 */
@Injectable()
export class StatementsService {
  constructor(
    private readonly statements: StatementRepository,
    private readonly impacts: ImpactStatementRepository,
    private readonly access: IncidentAccess,
  ) {}

  async createImpact(
    scope: TenantScope,
    incidentId: string,
    body: CreateImpactStatementRequest,
  ): Promise<ImpactStatement> {
    await this.access.check(scope, incidentId);
    return (await this.impacts.create(scope, incidentId, body)) ?? notFound('Report');
  }

  async listImpact(scope: TenantScope, incidentId: string): Promise<ImpactStatement[]> {
    await this.access.check(scope, incidentId);
    return (await this.impacts.list(scope, incidentId)) ?? notFound('Report');
  }

  async create(
    scope: TenantScope,
    incidentId: string,
    body: CreateStatementRequest,
  ): Promise<WitnessStatement> {
    await this.access.check(scope, incidentId);
    return (await this.statements.create(scope, incidentId, signStatement(body))) ?? notFound('Report');
  }

  async correct(
    scope: TenantScope,
    incidentId: string,
    statementId: string,
    body: CreateStatementRequest,
  ): Promise<WitnessStatement> {
    await this.access.check(scope, incidentId, 'Statement');
    return (
      (await this.statements.correct(scope, incidentId, statementId, signStatement(body))) ??
      notFound('Statement')
    );
  }

  async list(scope: TenantScope, incidentId: string): Promise<WitnessStatement[]> {
    await this.access.check(scope, incidentId);
    return (await this.statements.list(scope, incidentId)) ?? notFound('Report');
  }

  async get(scope: TenantScope, incidentId: string, id: string): Promise<WitnessStatement> {
    await this.access.check(scope, incidentId, 'Statement');
    return (await this.statements.get(scope, incidentId, id)) ?? notFound('Statement');
  }
}

function notFound(what: string): never {
  throw DomainError.notFound(what);
}
