import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { ModuleRef } from '@nestjs/core';
import { IncidentRollupRepository, OrganisationKind, StatsRepository } from '@app/stats';
import { copyIncidents } from '@app/synthetic';
import {
  buildIncidentRequest,
  buildSubjectRequest,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  startTestApi,
  type TestApi,
} from '@app/testing';
import {
  deriveSeed,
  History,
  type NegativeControl,
  recordResult,
  scale,
  SPEC_TIMEOUT_MS,
} from '../lib/programme';
import { readHistory } from '../lib/history-reader';

jest.setTimeout(SPEC_TIMEOUT_MS);

/**
 * S1c, property-level authorisation (quality.md section 4):
 * - analysts (the analyst role and an organisation's API key) call every statistics route in the
 *   OpenAPI document, with every breakdown dimension and both formats; every key or CSV column they
 *   receive must be in the aggregate allowlist, none may be a personal field, and no row id of the
 *   partnership (incident, store, user) may appear anywhere in a body;
 * - every write route in the OpenAPI document is sent privilege fields it must never accept
 *   (tenant, author, identity, timestamps): each must be refused with a 400 that names the field, or
 *   refused outright (401/403/404); for the routes a coordinator really uses, the stored tenant and
 *   author columns are read back unchanged. A coordinator also cannot mass-assign `role: admin`.
 */
const ID = 'S1c';
const SEED = deriveSeed(ID);

/** Every key an analyst response may carry: aggregate figures and the filters that produced them. */
const ANALYST_ALLOWLIST = new Set([
  // figures
  'incidents',
  'violent',
  'abuse',
  'againstStaff',
  'withWeapon',
  'injured',
  'ageRestrictedTrigger',
  'reportedToPolice',
  'policeAttended',
  'violentReported',
  'thefts',
  'theftValuePence',
  'underThresholdThefts',
  'repeatVictimStores',
  'suppressed',
  'k',
  'days',
  'incidentsPerDay',
  'share',
  'shareViolent',
  'shareWithWeapon',
  'shareAgeRestrictedTrigger',
  'shareReportedToPolice',
  'sharePoliceAttended',
  'shareViolentReported',
  // shape
  'points',
  'rows',
  'period',
  'key',
  'label',
  'by',
  'interval',
  'filters',
  'from',
  'to',
  'region',
  'forceArea',
  'policeForceArea',
  'type',
  'trigger',
  'partnerships',
  'partnershipCount',
  'name',
  'slug',
  'generatedAt',
  'note',
  'notes',
  'scope',
  'coverage',
  'partnershipId',
]);
/** Fields that identify or describe a person or a single report: never in an analyst's body. */
const PERSONAL = [
  'narrative',
  'offenders',
  'witnesses',
  'contact',
  'email',
  'displayName',
  'crimeReference',
  'reportedBy',
  'actorId',
  'storeId',
  'storeName',
  'address',
  'postcode',
  'aliases',
  'description',
  'dateOfBirth',
  'subjectId',
  'offenderId',
  'incidentId',
  'statement',
  'occurredAt',
];
/** Never client-settable on any write route. */
const PRIVILEGE_FIELDS: Record<string, unknown> = {
  partnershipId: '00000000-0000-4000-8000-00000000dead',
  tenantId: '00000000-0000-4000-8000-00000000dead',
  createdBy: '00000000-0000-4000-8000-00000000beef',
  reportedBy: '00000000-0000-4000-8000-00000000beef',
  reportedByKind: 'system',
  actorId: '00000000-0000-4000-8000-00000000beef',
  id: '00000000-0000-4000-8000-00000000cafe',
  createdAt: '2000-01-01T00:00:00Z',
};

type Json = unknown;

/** Every object key (recursively) in a JSON body, or the header columns of a CSV body. */
function keysOf(body: Json, text: string, csv: boolean): string[] {
  if (csv) {
    return (text.split('\n')[0] ?? '')
      .split(',')
      .map((c) => c.replace(/^"|"$/g, '').trim())
      .filter(Boolean);
  }
  const out: string[] = [];
  const walk = (v: Json) => {
    if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push(k);
        walk(x);
      }
    }
  };
  walk(body);
  return out;
}

interface AnalystCall {
  path: string;
  status: number;
  keys: string[];
  text: string;
}

/** The checker for the analyst half: counts keys outside the allowlist, personal keys and row ids. */
function checkAnalyst(calls: AnalystCall[], rowIds: string[]) {
  let outside = 0;
  let personal = 0;
  let rowIdsLeaked = 0;
  const outsideKeys = new Set<string>();
  for (const c of calls) {
    for (const k of c.keys) {
      if (!ANALYST_ALLOWLIST.has(k)) {
        outside++;
        outsideKeys.add(k);
      }
      if (PERSONAL.includes(k)) {
        personal++;
      }
    }
    rowIdsLeaked += rowIds.filter((id) => c.text.includes(id)).length;
  }
  return {
    counts: { calls: calls.length, keysOutsideAllowlist: outside, personalKeys: personal, rowIdsLeaked },
    outsideKeys,
  };
}

interface WriteAttempt {
  route: string;
  field: string;
  status: number;
  namesField: boolean;
}

/** The checker for the mass-assignment half: a 2xx, or a 400 that does not name the field, is a violation. */
function checkWrites(attempts: WriteAttempt[], changedColumns: number) {
  const accepted = attempts.filter((a) => a.status >= 200 && a.status < 300).length;
  const unnamed = attempts.filter((a) => a.status === 400 && !a.namesField).length;
  const other = attempts.filter(
    (a) => ![400, 401, 403, 404, 405, 413, 415].includes(a.status) && !(a.status >= 200 && a.status < 300),
  ).length;
  return {
    accepted,
    unnamed,
    serverErrors: attempts.filter((a) => a.status >= 500).length,
    other,
    privilegeFieldsChanged: changedColumns,
  };
}

describe('S1c property-level authorisation', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let client: PoolClient;
  let release: () => Promise<void>;
  let orgKey: string;
  const started = new Date().toISOString();
  const history = new History(ID);

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api, { region: 'North West', policeForceArea: 'Merseyside Police' });
    const qr = api.db.owner.createQueryRunner();
    client = (await qr.connect()) as PoolClient;
    release = () => qr.release();
    await copyIncidents(
      client,
      {
        partnerships: [{ id: p.partnershipId, storeIds: [...p.storeIds] }],
        reporterId: p.users.coordinator.id,
      },
      { seed: SEED, count: scale(300, 1500), from: '2025-01-01', days: 120 },
    );
    await (await api.app.get(ModuleRef).create(IncidentRollupRepository)).fold(p.partnershipId);
    const repo = api.app.get(StatsRepository);
    const org = await repo.createOrganisation(`Union ${randomUUID().slice(0, 8)}`, OrganisationKind.Union);
    orgKey = (await repo.issueApiKey(org.id, 'campaigns')).secret;
    await api.http.request('PUT', `/api/v1/stats/shares/${org.id}`, { token: p.tokens.coordinator });
  });
  afterAll(async () => {
    await release?.();
    await api?.close();
  });

  it('analysts see aggregate keys only; privilege fields are refused on every write route', async () => {
    const doc = (await api.http.get('/api/docs-json')).body as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
    };

    // --- analysts
    const statsPaths = Object.entries(doc.paths)
      .filter(([path, ops]) => path.startsWith('/api/v1/stats/') && ops.get && !path.includes('{'))
      .map(([path]) => path);
    const dims = ['type', 'trigger', 'weapon', 'injury', 'police', 'partnership', 'store'];
    const queries = (path: string): string[] => {
      const base = ['from=2025-01-01&to=2025-04-30', 'from=2025-01-01&to=2025-01-31', ''];
      const extra = path.endsWith('/breakdown')
        ? dims.map((d) => `by=${d}`)
        : path.endsWith('/series')
          ? ['interval=month']
          : [''];
      return base.flatMap((b) =>
        extra.flatMap((e) => ['json', 'csv'].map((f) => [b, e, `format=${f}`].filter(Boolean).join('&'))),
      );
    };
    const calls: AnalystCall[] = [];
    for (const path of statsPaths) {
      for (const q of queries(path)) {
        for (const who of ['role', 'key'] as const) {
          const opts =
            who === 'role' ? { token: p.tokens.analyst } : { headers: { authorization: `ApiKey ${orgKey}` } };
          const url = `${path}?${q}`;
          const res = await history.run(
            { op: randomUUID(), client: `analyst-${who}`, kind: 'GET', key: url },
            () => api.http.request('GET', url, opts),
          );
          if (res && res.status === 200) {
            const csv = q.includes('format=csv');
            calls.push({
              path: url,
              status: res.status,
              keys: keysOf(res.body, res.text, csv),
              text: res.text,
            });
          }
        }
      }
    }
    const rowIds = [
      ...(
        await api.db.owner.query(`SELECT id FROM incidents WHERE partnership_id = $1 LIMIT 50`, [
          p.partnershipId,
        ])
      ).map((r: { id: string }) => r.id),
      ...p.storeIds,
      ...Object.values(p.users).map((u) => u.id),
    ];
    const analyst = checkAnalyst(calls, rowIds);

    // --- mass assignment, every write route with a JSON body
    const tablet = await givenTablet(api, p);
    const incident = (await postIncident(api, tablet.token, buildIncidentRequest())).body;
    const subject = (await api.http.post('/api/v1/subjects', buildSubjectRequest(), p.tokens.coordinator))
      .body;
    const known: Record<
      string,
      { body: Record<string, unknown>; token: string; headers?: Record<string, string> }
    > = {
      'POST /api/v1/incidents': { body: buildIncidentRequest(), token: tablet.token },
      'PATCH /api/v1/incidents/{id}': {
        body: { version: incident.version, narrative: 'amended', reason: 'typo' },
        token: p.tokens.coordinator,
      },
      'POST /api/v1/subjects': { body: buildSubjectRequest(), token: p.tokens.coordinator },
      'PATCH /api/v1/subjects/{id}': { body: { aliases: ['Lexi'] }, token: p.tokens.coordinator },
      'POST /api/v1/alerts': { body: { type: 'information', message: 'hello' }, token: p.tokens.coordinator },
    };
    const idFor = (path: string) =>
      path.replace(/\{[^}]+\}/g, (_m, offset: number) =>
        path.slice(0, offset).includes('/subjects') ? subject.id : incident.id,
      );
    const attempts: WriteAttempt[] = [];
    const writeRoutes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(
          ([verb, op]) =>
            ['post', 'put', 'patch'].includes(verb) && op.requestBody?.content?.['application/json'],
        )
        .map(([verb]) => ({ path, verb: verb.toUpperCase() })),
    );
    for (const { path, verb } of writeRoutes) {
      const routeKey = `${verb} ${path}`;
      const base = known[routeKey] ?? { body: {}, token: p.tokens.coordinator };
      for (const [field, value] of Object.entries(PRIVILEGE_FIELDS)) {
        const res = await history.run(
          { op: randomUUID(), client: 'writer', kind: routeKey, key: field },
          () =>
            api.http.request(verb, idFor(path), {
              token: base.token,
              body: { ...base.body, [field]: value },
              // routes that take no key ignore it; the ones that need it (reports, statements) get one
              headers: { 'idempotency-key': randomUUID() },
            }),
          (r) => ({ field, namesField: JSON.stringify(r.body?.details ?? []).includes(field) }),
        );
        attempts.push({
          route: routeKey,
          field,
          status: res?.status ?? 0,
          namesField: JSON.stringify(res?.body?.details ?? []).includes(field),
        });
      }
    }
    // privilege escalation through a legitimate field: a coordinator cannot create an admin
    const escalation = await api.http.post(
      '/api/v1/users',
      {
        email: `esc-${randomUUID()}@example.test`,
        displayName: 'Esc',
        role: 'admin',
        password: 'a-long-password-1',
      },
      p.tokens.coordinator,
    );
    // read back what the known routes store: tenant and author columns unchanged
    const [inc] = await api.db.owner.query(
      `SELECT partnership_id, reported_by FROM incidents WHERE id = $1`,
      [incident.id],
    );
    const changed =
      Number(inc.partnership_id !== p.partnershipId) +
      Number(inc.reported_by !== tablet.deviceId) +
      Number(
        (await api.db.owner.query(`SELECT 1 FROM incidents WHERE id = $1`, [PRIVILEGE_FIELDS.id])).length,
      ) +
      Number(
        (await api.db.owner.query(`SELECT 1 FROM users WHERE role = 'admin' AND display_name = 'Esc'`))
          .length,
      );
    const writes = checkWrites(attempts, changed);

    // --- negative controls: a DTO exposing one personal field; a route without whitelisting
    const leaky = checkAnalyst(
      [{ ...calls[0], keys: [...calls[0].keys, 'narrative'], text: `${calls[0].text} ${incident.id}` }],
      [incident.id],
    );
    const unguarded = checkWrites(
      [{ route: 'PATCH /unguarded', field: 'partnershipId', status: 200, namesField: false }],
      1,
    );
    const negativeControls: NegativeControl[] = [
      {
        variant: 'an analyst response with one personal field (narrative) and a report id planted',
        counts: leaky.counts,
        caught: leaky.counts.personalKeys > 0 && leaky.counts.rowIdsLeaked > 0,
      },
      {
        variant: 'a write route without whitelisting (privilege field accepted and stored)',
        counts: unguarded,
        caught: unguarded.accepted > 0 && unguarded.privilegeFieldsChanged > 0,
      },
    ];

    const replayed = readHistory(history.file).length;
    const counts = {
      ...analyst.counts,
      writeRoutes: writeRoutes.length,
      writeAttempts: attempts.length,
      privilegeFieldsAccepted: writes.accepted,
      refusalsNotNamingField: writes.unnamed,
      serverErrors: writes.serverErrors,
      privilegeFieldsChanged: writes.privilegeFieldsChanged,
      escalationStatus: escalation.status,
      historyEntries: replayed,
    };
    const passed =
      calls.length > 0 &&
      analyst.counts.keysOutsideAllowlist === 0 &&
      analyst.counts.personalKeys === 0 &&
      analyst.counts.rowIdsLeaked === 0 &&
      writes.accepted === 0 &&
      writes.unnamed === 0 &&
      writes.serverErrors === 0 &&
      writes.privilegeFieldsChanged === 0 &&
      escalation.status === 403 &&
      negativeControls.every((c) => c.caught);
    recordResult({
      id: ID,
      title: 'Property-level authorisation (S1c): analyst allowlist, no mass assignment of privilege fields',
      seed: SEED,
      counts,
      passFigure: "keys outside the role's allowlist 0; privilege fields changed 0",
      passed,
      negativeControls,
      config: { privilegeFields: Object.keys(PRIVILEGE_FIELDS), statsRoutes: statsPaths },
      notes: analyst.outsideKeys.size
        ? [`keys outside the allowlist: ${[...analyst.outsideKeys].join(', ')}`]
        : [],
      historyFile: history.file,
      startedAt: started,
    });

    expect([...analyst.outsideKeys]).toEqual([]);
    expect(counts).toMatchObject({
      keysOutsideAllowlist: 0,
      personalKeys: 0,
      rowIdsLeaked: 0,
      privilegeFieldsAccepted: 0,
      refusalsNotNamingField: 0,
      serverErrors: 0,
      privilegeFieldsChanged: 0,
      escalationStatus: 403,
    });
    expect(calls.length).toBeGreaterThan(20);
    expect(attempts.length).toBeGreaterThan(50);
    expect(negativeControls.map((c) => c.caught)).toEqual([true, true]);
  });
});
