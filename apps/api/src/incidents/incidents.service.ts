import { Injectable } from '@nestjs/common';
import { isShopRole, type TenantScope } from '@app/auth';
import { type Page, type PageRequest, textSearch } from '@app/database';
import {
  type Incident,
  type IncidentAmendment,
  type IncidentFields,
  type IncidentPatch,
  IncidentAccess,
  INCIDENT_TRANSITIONS,
  IncidentRepository,
  IncidentStatus,
} from '@app/incidents';
import { ReferenceRepository } from '@app/offenders';
import { DomainError, ErrorCode } from '@app/errors';
import type {
  AmendIncidentRequest,
  CreateIncidentRequest,
  GoodsLineDto,
  ListIncidentsQuery,
  TransitionIncidentRequest,
} from './dto/incident.dto';

/** Clock skew allowed between a tablet and the server before a time counts as "in the future". */
const FUTURE_SKEW_MS = 5 * 60 * 1000;

/** Reports from shops: filing, finding, amending with history, and the review lifecycle. */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly access: IncidentAccess,
    private readonly references: ReferenceRepository,
  ) {}

  async report(scope: TenantScope, body: CreateIncidentRequest): Promise<Incident> {
    const storeId = this.storeFor(scope, body.storeId);
    await this.references.assertSubject(scope, body.offenderId, 'offenderId');
    const fields: IncidentFields = {
      storeId,
      status: body.status ?? IncidentStatus.Submitted,
      types: body.types,
      triggers: body.triggers,
      weapon: body.weapon,
      injury: body.injury,
      ...goods(body.goods),
      occurredAt: occurredAt(body.occurredAt),
      narrative: body.narrative,
      offenders: body.offenders.map(offender),
      offenderId: body.offenderId ?? null,
      witnesses: body.witnesses.map((w) => ({ name: w.name, kind: w.kind, contact: w.contact ?? null })),
      policeReported: body.policeReported,
      crimeReference: body.crimeReference ?? null,
      policeAttended: body.policeAttended,
      cctvAvailable: body.cctvAvailable,
      cctvOverwriteOn: body.cctvOverwriteOn ?? null,
      cctvClockOffsetSeconds: body.cctvClockOffsetSeconds ?? null,
      victimSupportOffered: body.victimSupportOffered,
      damageValuePence: String(body.damageValuePence ?? 0),
    };
    return this.incidents.report(scope, fields);
  }

  find(scope: TenantScope, q: ListIncidentsQuery, page: PageRequest): Promise<Page<Incident>> {
    const shopStore = this.shopStore(scope);
    if (shopStore && q.storeId && q.storeId !== shopStore) {
      throw DomainError.forbidden('That belongs to another store');
    }
    return this.incidents.findPage(
      scope,
      {
        storeId: shopStore ?? q.storeId,
        occurredFrom: q.occurredFrom ? new Date(q.occurredFrom) : undefined,
        occurredTo: q.occurredTo ? new Date(q.occurredTo) : undefined,
        type: q.type,
        trigger: q.trigger,
        weapon: q.weapon,
        offenderId: q.offenderId,
        status: q.status,
        search: textSearch(q.q),
      },
      page,
    );
  }

  async get(scope: TenantScope, id: string): Promise<Incident> {
    await this.access.check(scope, id);
    return (await this.incidents.read(scope, id)) ?? notFound();
  }

  async history(scope: TenantScope, id: string): Promise<IncidentAmendment[]> {
    await this.access.check(scope, id);
    return (await this.incidents.history(scope, id)) ?? notFound();
  }

  async amend(scope: TenantScope, id: string, body: AmendIncidentRequest): Promise<Incident> {
    await this.references.assertSubject(scope, body.offenderId, 'offenderId');
    const patch: IncidentPatch = {};
    const set = <K extends keyof IncidentPatch>(k: K, v: IncidentPatch[K] | undefined) => {
      if (v !== undefined) {
        patch[k] = v;
      }
    };
    set('types', body.types);
    set('triggers', body.triggers);
    set('weapon', body.weapon);
    set('injury', body.injury);
    if (body.goods) {
      Object.assign(patch, goods(body.goods));
    }
    set('occurredAt', body.occurredAt ? occurredAt(body.occurredAt) : undefined);
    set('narrative', body.narrative);
    set('offenders', body.offenders?.map(offender));
    set('offenderId', body.offenderId);
    set(
      'witnesses',
      body.witnesses?.map((w) => ({ name: w.name, kind: w.kind, contact: w.contact ?? null })),
    );
    set('policeReported', body.policeReported);
    set('crimeReference', body.crimeReference);
    set('policeAttended', body.policeAttended);
    set('cctvAvailable', body.cctvAvailable);
    set('damageValuePence', body.damageValuePence === undefined ? undefined : String(body.damageValuePence));
    set('cctvOverwriteOn', body.cctvOverwriteOn);
    set('cctvClockOffsetSeconds', body.cctvClockOffsetSeconds);
    set('victimSupportOffered', body.victimSupportOffered);
    await this.access.check(scope, id);
    return this.settle(await this.incidents.amend(scope, id, body.version, patch, body.reason ?? null));
  }

  async transition(scope: TenantScope, id: string, body: TransitionIncidentRequest): Promise<Incident> {
    const rule = INCIDENT_TRANSITIONS[body.to];
    if (!rule.roles.includes(scope.role)) {
      throw DomainError.forbidden(`Your role cannot mark a report ${body.to}`);
    }
    await this.access.check(scope, id);
    return this.settle(await this.incidents.amend(scope, id, body.version, { status: body.to }, null));
  }

  private settle(result: Incident | null | 'stale'): Incident {
    if (result === 'stale') {
      throw new DomainError(ErrorCode.Conflict, 'Someone else changed this report; reload it and retry', [
        { field: 'version', problems: ['is not the current version'] },
      ]);
    }
    return result ?? notFound();
  }

  private shopStore(scope: TenantScope): string | null {
    return isShopRole(scope.role) || scope.actorKind === 'device' ? scope.storeId : null;
  }

  private storeFor(scope: TenantScope, requested: string | undefined): string {
    const own = this.shopStore(scope);
    if (own) {
      if (requested && requested !== own) {
        throw DomainError.forbidden('You can only report for your own store');
      }
      return own;
    }
    if (!requested) {
      throw DomainError.invalid('storeId', 'is required');
    }
    return requested;
  }
}

function goods(lines: GoodsLineDto[]): Pick<IncidentFields, 'goods' | 'valuePence' | 'recoveredValuePence'> {
  let value = 0;
  let recovered = 0;
  const out = lines.map((g, n) => {
    const recoveredQuantity = g.recoveredQuantity ?? 0;
    if (recoveredQuantity > g.quantity) {
      throw DomainError.invalid(`goods[${n}].recoveredQuantity`, 'cannot exceed quantity');
    }
    value += g.quantity * g.unitPricePence;
    recovered += recoveredQuantity * g.unitPricePence;
    return {
      description: g.description,
      sku: g.sku ?? null,
      quantity: g.quantity,
      unitPricePence: g.unitPricePence,
      recoveredQuantity,
    };
  });
  if (!Number.isSafeInteger(value)) {
    throw DomainError.invalid('goods', 'total value is too large');
  }
  return { goods: out, valuePence: String(value), recoveredValuePence: String(recovered) };
}

function occurredAt(iso: string): Date {
  const at = new Date(iso);
  if (at.getTime() > Date.now() + FUTURE_SKEW_MS) {
    throw DomainError.invalid('occurredAt', 'is in the future');
  }
  return at;
}

function offender(o: CreateIncidentRequest['offenders'][number]) {
  return {
    apparentAgeRange: o.apparentAgeRange ?? null,
    height: o.height ?? null,
    build: o.build ?? null,
    hair: o.hair ?? null,
    clothing: o.clothing ?? null,
    distinguishingMarks: o.distinguishingMarks ?? null,
    vehicleRegistration: o.vehicleRegistration ?? null,
    directionOfTravel: o.directionOfTravel ?? null,
    exactWords: o.exactWords ?? null,
    freeText: o.freeText ?? null,
  };
}

function notFound(): never {
  throw DomainError.notFound('Report');
}
