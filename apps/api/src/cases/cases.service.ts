import { Injectable } from '@nestjs/common';
import { assertStoreAccess, storeFilterFor, type TenantScope } from '@app/auth';
import { CaseOrigin, CaseRepository, EvidenceRequestRepository, CaseStatus } from '@app/cases';
import { DomainError } from '@app/errors';
import { textSearch } from '@app/database';
import type {
  AnswerEvidenceRequest,
  AssignCaseRequest,
  CreateEvidenceRequest,
  OpenCaseRequest,
  StoreRequestsQuery,
  TransitionCaseRequest,
} from './dto/case.dto';
import type { TriageQuery } from './dto/triage.dto';
import type { PageQuery } from '../http/page.query';

const OPEN_STATUSES = [
  CaseStatus.New,
  CaseStatus.InTriage,
  CaseStatus.EvidenceRequested,
  CaseStatus.ReadyForCps,
];

@Injectable()
export class CasesService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly requests: EvidenceRequestRepository,
  ) {}

  async open(scope: TenantScope, body: OpenCaseRequest) {
    if (!!body.incidentId === !!body.serialFlagId) {
      throw DomainError.invalid('incidentId', 'give exactly one of incidentId or serialFlagId');
    }
    if (body.serialFlagId) {
      const bundle = await this.cases.flagBundle(scope, body.serialFlagId);
      if (!bundle) {
        throw DomainError.invalid('serialFlagId', 'is not a serial-offender flag of this partnership');
      }
      return this.cases.open(scope, {
        incidentIds: bundle.incidentIds,
        origin: CaseOrigin.SerialFlag,
        serialFlagId: body.serialFlagId,
        subjectId: bundle.subjectId,
        title:
          body.title ??
          `Serial offending: ${bundle.incidentIds.length} incidents, £${(bundle.totalPence / 100).toFixed(2)}`,
        offenderDetained: body.offenderDetained ?? false,
        victimVulnerable: body.victimVulnerable ?? false,
        reason: body.reason,
      });
    }
    return this.cases.open(scope, {
      incidentIds: [body.incidentId!],
      origin: CaseOrigin.Incident,
      serialFlagId: null,
      subjectId: null,
      title: body.title ?? 'Retail crime report',
      offenderDetained: body.offenderDetained ?? false,
      victimVulnerable: body.victimVulnerable ?? false,
      reason: body.reason,
    });
  }

  async get(scope: TenantScope, id: string) {
    return (await this.cases.get(scope, id)) ?? notFound('Case');
  }

  triage(scope: TenantScope, q: TriageQuery) {
    const statuses = q.status
      ? q.status.split(',').map((s) => {
          if (!Object.values(CaseStatus).includes(s.trim() as CaseStatus)) {
            throw DomainError.invalid('status', `must be one of ${Object.values(CaseStatus).join(', ')}`);
          }
          return s.trim() as CaseStatus;
        })
      : OPEN_STATUSES;
    let officer = q.officer;
    if (officer === 'me') {
      officer = scope.actorId;
    } else if (officer && officer !== 'unassigned' && !/^[0-9a-f-]{36}$/i.test(officer)) {
      throw DomainError.invalid('officer', 'must be a user id, me or unassigned');
    }
    // flags and reports have no case status, no officer and no title: listed unless the caller asked
    // for particular statuses, someone's cases or a search
    const search = textSearch(q.q);
    const withFlagsAndReports = !q.status && !search && (!officer || officer === 'unassigned');
    return this.cases.triage(scope, { statuses, officer, withFlagsAndReports, search }, q);
  }

  async assign(scope: TenantScope, id: string, body: AssignCaseRequest) {
    return (await this.cases.assign(scope, id, body.officerId, body.reason)) ?? notFound('Case');
  }

  async transition(scope: TenantScope, id: string, body: TransitionCaseRequest) {
    if ([CaseStatus.CourtOutcome].includes(body.status) && !body.outcome) {
      throw DomainError.invalid('outcome', 'a court outcome needs the outcome in plain words');
    }
    return (
      (await this.cases.transition(scope, id, body.status, body.reason, {
        outcome: body.outcome ?? null,
        proceedingsDate: body.proceedingsDate ?? null,
      })) ?? notFound('Case')
    );
  }

  async history(scope: TenantScope, id: string) {
    return (await this.cases.historyOf(scope, id)) ?? notFound('Case');
  }

  async continuity(scope: TenantScope, id: string) {
    return (await this.cases.continuity(scope, id)) ?? notFound('Case');
  }

  async request(scope: TenantScope, caseId: string, body: CreateEvidenceRequest) {
    return (
      (await this.requests.request(scope, caseId, {
        incidentId: body.incidentId,
        kind: body.kind,
        message: body.message,
        dueOn: body.dueOn ?? null,
      })) ?? notFound('Case')
    );
  }

  async requestsOfCase(scope: TenantScope, caseId: string) {
    return (await this.requests.requestsOfCase(scope, caseId)) ?? notFound('Case');
  }

  requestsForStore(scope: TenantScope, q: StoreRequestsQuery) {
    return this.requests.requestsForStores(scope, { storeId: storeFilterFor(scope), status: q.status }, q);
  }

  async answer(scope: TenantScope, requestId: string, body: AnswerEvidenceRequest) {
    const storeId = (await this.requests.storeOf(scope, requestId)) ?? notFound('Request');
    assertStoreAccess(scope, storeId);
    return (
      (await this.requests.answer(scope, requestId, {
        decline: body.decline ?? false,
        answerText: body.answerText ?? null,
        impactKind: body.impactKind ?? null,
        impactMadeBy: body.impactMadeBy ?? null,
        exhibitIds: body.exhibitIds ?? [],
        statementIds: body.statementIds ?? [],
      })) ?? notFound('Request')
    );
  }

  updates(scope: TenantScope, q: PageQuery) {
    return this.requests.updatesForStores(scope, storeFilterFor(scope), q);
  }
}

function notFound(what: string): never {
  throw DomainError.notFound(what);
}
