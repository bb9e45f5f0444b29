import { Injectable } from '@nestjs/common';
import { sha256Hex, type TenantScope } from '@app/auth';
import {
  IncidentAccess,
  type NewStatement,
  StatementRepository,
  type WitnessStatement,
} from '@app/incidents';
import { DomainError } from '@app/errors';
import { canonicalJson } from '@app/evidence';
import type { CreateStatementRequest } from './dto/statement.dto';

/** The MG11 declaration, with the page count filled in. */
export function mg11Declaration(pages: number): string {
  return (
    `This statement (consisting of ${pages} page(s) each signed by me) is true to the best of my knowledge ` +
    `and belief and I make it knowing that, if it is tendered in evidence, I shall be liable to prosecution ` +
    `if I have wilfully stated in it anything which I know to be false, or do not believe to be true.`
  );
}

/** Witness statements: taken signed, never edited, corrected by new versions. */
@Injectable()
export class StatementsService {
  constructor(
    private readonly statements: StatementRepository,
    private readonly access: IncidentAccess,
  ) {}

  async create(
    scope: TenantScope,
    incidentId: string,
    body: CreateStatementRequest,
  ): Promise<WitnessStatement> {
    await this.access.check(scope, incidentId);
    return (await this.statements.create(scope, incidentId, signed(body))) ?? notFound('Report');
  }

  async correct(
    scope: TenantScope,
    incidentId: string,
    statementId: string,
    body: CreateStatementRequest,
  ): Promise<WitnessStatement> {
    await this.access.check(scope, incidentId, 'Statement');
    return (
      (await this.statements.correct(scope, incidentId, statementId, signed(body))) ?? notFound('Statement')
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

function signed(body: CreateStatementRequest): NewStatement {
  const content = {
    witnessName: body.witnessName,
    witnessAgeIfUnder18: body.witnessAgeIfUnder18 ?? null,
    witnessOccupation: body.witnessOccupation ?? null,
    statementText: body.statementText,
    pageCount: body.pageCount,
    declarationText: mg11Declaration(body.pageCount),
    declarationAcknowledged: true,
    readOverBy: body.readOverBy ?? null,
    signatureName: body.signatureName,
    signedAt: new Date(),
  };
  return {
    ...content,
    contentSha256: sha256Hex(canonicalJson({ ...content, signedAt: content.signedAt.toISOString() })),
  };
}

function notFound(what: string): never {
  throw DomainError.notFound(what);
}
