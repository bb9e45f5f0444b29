import { randomUUID } from 'node:crypto';
import {
  buildIncidentRequest,
  buildJpeg,
  buildSubjectRequest,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  sha256,
  startTestApi,
  type TestApi,
} from '@app/testing';

// Slow when the machine is busy (argon2 logins, a fresh database per file); never a timing assertion.
jest.setTimeout(180_000);

/**
 * Issue #15 section 3: every date, datetime, human-readable text and money field of every write
 * route (and the date filters of query strings and the evidence capture header) answers 400 naming
 * the field for impossible, timezone-less, implausible, bidi/control/lone-surrogate and huge values,
 * and nothing is stored.
 */
const BAD_DATES = [
  '2026-02-30',
  '0000-01-01',
  '9999-12-31',
  '1999-12-31',
  '2026-11-30T10:00:00Z',
  '20261101',
  '2026-11',
];
const BAD_DATETIMES = [
  '2026-02-30T10:00:00Z',
  '0000-01-01T00:00:00Z',
  '1899-06-01T10:00:00Z',
  '9999-01-01T00:00:00Z',
  '2026-11-20T10:00:00',
  '2026-11-20',
];
const BAD_TEXT = ['invoice\u202Egpj.exe', 'a\u2066b\u2069', 'nul\u0000', 'half \uD800 pair', 'low \uDC00'];

type Body = Record<string, unknown>;
interface Route {
  name: string;
  method: 'POST' | 'PATCH';
  path: () => string;
  token: () => string;
  valid: () => Body;
  idempotent?: boolean;
  dates?: string[];
  datetimes?: string[];
  /** paths into the body; `aliases[0]` is reported as `aliases` */
  texts?: string[];
}

/** Sets `value` at a path like `goods[0].description` in a copy of `body`. */
function setPath(body: Body, path: string, value: unknown): Body {
  const copy = JSON.parse(JSON.stringify(body)) as Body;
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    at = at[k] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = value;
  return copy;
}
const reported = (path: string) => path.replace(/\[\d+\]$/, '');
const fieldsOf = (r: { body?: { details?: { field: string }[] } }) =>
  (r.body?.details ?? []).map((d) => d.field);

const TABLES = [
  'incidents',
  'incident_amendments',
  'witness_statements',
  'subjects',
  'subject_incidents',
  'galleries',
  'gallery_listings',
  'exclusion_notices',
  'cases',
  'case_history',
  'case_evidence_requests',
  'alerts',
  'talk_groups',
  'member_businesses',
  'stores',
  'devices',
  'users',
  'exhibits',
  'evidence_packs',
];
/** Tables a PATCH could change in place: their content, not only their count, must stay. */
const CONTENT = ['incidents', 'subjects', 'cases'];

describe('bad input answers 400 naming the field, and nothing is stored', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let tablet: string;
  let incidentId: string;
  let subjectId: string;
  let caseId: string;

  const snapshot = async () => {
    const out: Record<string, string> = {};
    for (const t of TABLES) {
      const expr = CONTENT.includes(t)
        ? `md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))`
        : 'count(*)::text';
      out[t] = (await api.db.owner.query(`SELECT ${expr} AS v FROM ${t} x`))[0].v as string;
    }
    return out;
  };

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    tablet = (await givenTablet(api, p)).token;
    const incident = await postIncident(api, tablet);
    expect(incident.status).toBe(201);
    incidentId = incident.body.id;
    const subject = await api.http.post('/api/v1/subjects', buildSubjectRequest(), p.tokens.coordinator);
    expect(subject.status).toBe(201);
    subjectId = subject.body.id;
    const opened = await api.http.post(
      '/api/v1/cases',
      { incidentId, reason: 'worth pursuing' },
      p.tokens.police,
    );
    expect(opened.status).toBe(201);
    caseId = opened.body.id;
  });
  afterAll(() => api.close());

  const send = (route: Route, body: Body) =>
    api.http.request(route.method, route.path(), {
      token: route.token(),
      body,
      headers: route.idempotent ? { 'idempotency-key': randomUUID() } : {},
    });

  const routes = (): Route[] => [
    {
      name: 'POST /incidents',
      method: 'POST',
      path: () => '/api/v1/incidents',
      token: () => tablet,
      valid: () =>
        buildIncidentRequest({
          offenders: [
            {
              apparentAgeRange: '30-40',
              height: 'tall',
              build: 'slim',
              hair: 'short',
              clothing: 'grey hoodie',
              distinguishingMarks: 'scar',
              vehicleRegistration: 'AB12 CDE',
              directionOfTravel: 'north',
              exactWords: 'move',
              freeText: 'calm',
            },
          ],
          witnesses: [{ name: 'Sam Jones', kind: 'staff', contact: 'via the store' }],
        }),
      idempotent: true,
      dates: ['cctvOverwriteOn'],
      datetimes: ['occurredAt'],
      texts: [
        'narrative',
        'goods[0].description',
        'goods[0].sku',
        ...[
          'apparentAgeRange',
          'height',
          'build',
          'hair',
          'clothing',
          'distinguishingMarks',
          'vehicleRegistration',
          'directionOfTravel',
          'exactWords',
          'freeText',
        ].map((f) => `offenders[0].${f}`),
        'witnesses[0].name',
        'witnesses[0].contact',
      ],
    },
    {
      name: 'PATCH /incidents/:id',
      method: 'PATCH',
      path: () => `/api/v1/incidents/${incidentId}`,
      token: () => p.tokens.coordinator,
      valid: () => ({
        version: 1,
        reason: 'typo',
        narrative: 'Corrected account',
        occurredAt: new Date(Date.now() - 7200_000).toISOString(),
        cctvOverwriteOn: new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10),
        goods: [{ description: 'Gin', sku: '1', quantity: 1, unitPricePence: 1500 }],
        offenders: [{ freeText: 'tall' }],
        witnesses: [{ name: 'Jo', kind: 'customer', contact: 'phone' }],
      }),
      dates: ['cctvOverwriteOn'],
      datetimes: ['occurredAt'],
      texts: [
        'reason',
        'narrative',
        'goods[0].description',
        'goods[0].sku',
        'offenders[0].freeText',
        'witnesses[0].name',
        'witnesses[0].contact',
      ],
    },
    {
      name: 'POST /incidents/:id/statements',
      method: 'POST',
      path: () => `/api/v1/incidents/${incidentId}/statements`,
      token: () => tablet,
      idempotent: true,
      valid: () => ({
        witnessName: 'Sam Jones',
        witnessOccupation: 'Shop assistant',
        statementText: 'I saw a man take steak.',
        pageCount: 1,
        declarationAcknowledged: true,
        readOverBy: 'Jo Bloggs',
        signatureName: 'Sam Jones',
      }),
      texts: ['witnessName', 'witnessOccupation', 'statementText', 'readOverBy', 'signatureName'],
    },
    ...(['POST', 'PATCH'] as const).map(
      (method): Route => ({
        name: `${method} /subjects`,
        method,
        path: () => (method === 'POST' ? '/api/v1/subjects' : `/api/v1/subjects/${subjectId}`),
        token: () => p.tokens.coordinator,
        valid: () =>
          buildSubjectRequest({
            description: {
              apparentAgeRange: '20s',
              height: 'short',
              build: 'stocky',
              hair: 'dark',
              usualClothing: 'tracksuit',
              distinguishingMarks: 'tattoo',
              notes: 'often with a bike',
            },
            vehicles: [{ registration: 'AB12 CDE', make: 'Ford', model: 'Fiesta', colour: 'blue' }],
          }),
        texts: [
          'name',
          'aliases[0]',
          ...[
            'apparentAgeRange',
            'height',
            'build',
            'hair',
            'usualClothing',
            'distinguishingMarks',
            'notes',
          ].map((f) => `description.${f}`),
          'vehicles[0].make',
          'vehicles[0].model',
          'vehicles[0].colour',
        ],
      }),
    ),
    {
      name: 'POST /subjects/:id/incidents',
      method: 'POST',
      path: () => `/api/v1/subjects/${subjectId}/incidents`,
      token: () => p.tokens.coordinator,
      valid: () => ({ incidentId: randomUUID(), note: 'same hoodie' }),
      texts: ['note'],
    },
    {
      name: 'POST /subjects/:id/incidents/unlink',
      method: 'POST',
      path: () => `/api/v1/subjects/${subjectId}/incidents/unlink`,
      token: () => p.tokens.coordinator,
      valid: () => ({ incidentId: randomUUID(), reason: 'wrong person' }),
      texts: ['reason'],
    },
    {
      name: 'POST /subjects/:id/exclusion-notices',
      method: 'POST',
      path: () => `/api/v1/subjects/${subjectId}/exclusion-notices`,
      token: () => p.tokens.coordinator,
      valid: () => ({
        area: 'the high street',
        reason: 'repeated thefts',
        servedAt: new Date(Date.now() - 3600_000).toISOString(),
        servedByName: 'Pat Coordinator',
        serviceMethod: 'in_person',
        expiresAt: new Date(Date.now() + 300 * 86400_000).toISOString(),
      }),
      datetimes: ['servedAt', 'expiresAt'],
      texts: ['area', 'reason', 'servedByName'],
    },
    {
      name: 'POST /exclusion-notices/:id/appeal',
      method: 'POST',
      path: () => `/api/v1/exclusion-notices/${randomUUID()}/appeal`,
      token: () => p.tokens.coordinator,
      valid: () => ({ status: 'lodged', note: 'by letter' }),
      texts: ['note'],
    },
    {
      name: 'POST /galleries',
      method: 'POST',
      path: () => '/api/v1/galleries',
      token: () => p.tokens.coordinator,
      valid: () => ({
        name: 'Prolific',
        purpose: 'repeat offenders',
        defaultListingDays: 90,
        audienceRoles: ['police'],
      }),
      texts: ['name', 'purpose'],
    },
    {
      name: 'POST /galleries/:id/listings',
      method: 'POST',
      path: () => `/api/v1/galleries/${randomUUID()}/listings`,
      token: () => p.tokens.coordinator,
      valid: () => ({ subjectId, reason: 'three thefts', incidentIds: [incidentId] }),
      texts: ['reason'],
    },
    ...(
      [
        ['review', { decision: 'approve', note: 'ok' }, 'note'],
        ['delist', { reason: 'no longer' }, 'reason'],
        ['renew', { incidentIds: [incidentId], reason: 'again' }, 'reason'],
      ] as const
    ).map(
      ([action, body, text]): Route => ({
        name: `POST /gallery-listings/:id/${action}`,
        method: 'POST',
        path: () => `/api/v1/gallery-listings/${randomUUID()}/${action}`,
        token: () => p.tokens.coordinator,
        valid: () => ({ ...body }),
        texts: [text],
      }),
    ),
    {
      name: 'POST /serial-flags/:id/transitions',
      method: 'POST',
      path: () => `/api/v1/serial-flags/${randomUUID()}/transitions`,
      token: () => p.tokens.coordinator,
      valid: () => ({ state: 'reviewed', note: 'looked at' }),
      texts: ['note'],
    },
    {
      name: 'POST /cases',
      method: 'POST',
      path: () => '/api/v1/cases',
      token: () => p.tokens.police,
      valid: () => ({ incidentId, title: 'Steak thefts', reason: 'serial' }),
      texts: ['title', 'reason'],
    },
    {
      name: 'POST /cases/:id/transitions',
      method: 'POST',
      path: () => `/api/v1/cases/${caseId}/transitions`,
      token: () => p.tokens.police,
      valid: () => ({
        status: 'charged',
        reason: 'charged today',
        outcome: 'charged with theft',
        proceedingsDate: new Date().toISOString().slice(0, 10),
      }),
      dates: ['proceedingsDate'],
      texts: ['reason', 'outcome'],
    },
    {
      name: 'POST /cases/:id/assignment',
      method: 'POST',
      path: () => `/api/v1/cases/${caseId}/assignment`,
      token: () => p.tokens.police,
      valid: () => ({ officerId: p.users.police.id, reason: 'my area' }),
      texts: ['reason'],
    },
    {
      name: 'POST /cases/:id/evidence-requests',
      method: 'POST',
      path: () => `/api/v1/cases/${caseId}/evidence-requests`,
      token: () => p.tokens.police,
      valid: () => ({
        incidentId,
        kind: 'cctv',
        message: 'Please export the footage',
        dueOn: new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10),
      }),
      dates: ['dueOn'],
      texts: ['message'],
    },
    {
      name: 'POST /evidence-requests/:id/answer',
      method: 'POST',
      path: () => `/api/v1/evidence-requests/${randomUUID()}/answer`,
      token: () => p.tokens.coordinator,
      valid: () => ({ answerText: 'attached', impactKind: 'isb', impactMadeBy: 'Store manager' }),
      texts: ['answerText', 'impactMadeBy'],
    },
    {
      name: 'POST /packs/:id/download',
      method: 'POST',
      path: () => `/api/v1/packs/${randomUUID()}/download`,
      token: () => p.tokens.police,
      valid: () => ({ recipient: 'CPS Wessex', purpose: 'charging decision' }),
      texts: ['recipient', 'purpose'],
    },
    {
      name: 'POST /alerts',
      method: 'POST',
      path: () => '/api/v1/alerts',
      token: () => p.tokens.coordinator,
      valid: () => ({
        type: 'information',
        message: 'Grey hoodie heading north',
        target: { kind: 'partnership' },
      }),
      texts: ['message'],
    },
    {
      name: 'POST /talk-groups',
      method: 'POST',
      path: () => '/api/v1/talk-groups',
      token: () => p.tokens.coordinator,
      valid: () => ({ name: 'Night shift' }),
      texts: ['name'],
    },
    {
      name: 'POST /businesses',
      method: 'POST',
      path: () => '/api/v1/businesses',
      token: () => p.tokens.coordinator,
      valid: () => ({ name: 'Member Ltd' }),
      texts: ['name'],
    },
    {
      name: 'POST /stores',
      method: 'POST',
      path: () => '/api/v1/stores',
      token: () => p.tokens.coordinator,
      valid: () => ({
        businessId: p.businessId,
        name: 'High St',
        site: '1 High Street',
        postcode: 'AB1 2CD',
      }),
      texts: ['name', 'site'],
    },
    {
      name: 'POST /devices',
      method: 'POST',
      path: () => '/api/v1/devices',
      token: () => p.tokens.coordinator,
      valid: () => ({ storeId: p.storeIds[0], name: 'Till 9' }),
      texts: ['name'],
    },
    {
      name: 'POST /users',
      method: 'POST',
      path: () => '/api/v1/users',
      token: () => p.tokens.admin,
      valid: () => ({
        email: `u${randomUUID().slice(0, 8)}@example.test`,
        displayName: 'New Person',
        role: 'analyst',
        password: 'a long enough password',
      }),
      texts: ['displayName'],
    },
    {
      name: 'POST /privacy/subject-access',
      method: 'POST',
      path: () => '/api/v1/privacy/subject-access',
      token: () => p.tokens.coordinator,
      valid: () => ({ name: 'Alex Example', justification: 'a request by letter' }),
      texts: ['name', 'justification'],
    },
  ];

  it('refuses bad dates, datetimes and text in every write route, naming the field', async () => {
    const failures: string[] = [];
    let cases = 0;
    for (const route of routes()) {
      const tested = [
        ...(route.dates ?? []),
        ...(route.datetimes ?? []),
        ...(route.texts ?? []).map(reported),
      ];
      // the valid body is not refused for any of these fields (so a refusal below is the bad value's)
      const baseline = await send(route, route.valid());
      if (baseline.status >= 500 || fieldsOf(baseline).some((f) => tested.includes(f))) {
        failures.push(`${route.name} valid body: ${baseline.status} ${baseline.text.slice(0, 300)}`);
      }
      const before = await snapshot();
      const bad: [string, unknown][] = [
        ...(route.dates ?? []).flatMap((f) => BAD_DATES.map((v): [string, unknown] => [f, v])),
        ...(route.datetimes ?? []).flatMap((f) => BAD_DATETIMES.map((v): [string, unknown] => [f, v])),
        ...(route.texts ?? []).flatMap((f) => BAD_TEXT.map((v): [string, unknown] => [f, v])),
      ];
      for (const [path, value] of bad) {
        cases++;
        const r = await send(route, setPath(route.valid(), path, value));
        if (r.status !== 400 || !fieldsOf(r).includes(reported(path))) {
          failures.push(
            `${route.name} ${path}=${JSON.stringify(value)}: ${r.status} ${r.text.slice(0, 200)}`,
          );
        }
      }
      const after = await snapshot();
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        failures.push(
          `${route.name}: stored something for a bad value (${JSON.stringify({ before, after })})`,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThan(400);
  });

  it('caps money: a line and a report at £1,000,000', async () => {
    const before = await snapshot();
    const line = (quantity: number, unitPricePence: number) => ({
      description: 'Gin',
      quantity,
      unitPricePence,
    });
    const cases: [Body['goods'], string][] = [
      [[line(6, 2e15)], 'goods[0].unitPricePence'],
      [[line(100_000, 100_000_000)], 'goods[0].unitPricePence'],
      [[line(1, 60_000_000), line(1, 60_000_000)], 'goods'],
      // the 2e15-pence report: 200 lines of 100,000 × £1,000,000
      [Array.from({ length: 200 }, () => line(100_000, 100_000_000)), 'goods'],
    ];
    for (const [goods, field] of cases) {
      const created = await postIncident(api, tablet, buildIncidentRequest({ goods }));
      expect([created.status, fieldsOf(created)]).toEqual([400, expect.arrayContaining([field])]);
      expect(JSON.stringify(created.body.details)).toContain('£1,000,000.00');
      const amended = await api.http.request('PATCH', `/api/v1/incidents/${incidentId}`, {
        token: p.tokens.coordinator,
        body: { version: 1, goods },
      });
      expect([amended.status, fieldsOf(amended)]).toEqual([400, expect.arrayContaining([field])]);
    }
    expect(await snapshot()).toEqual(before);
    // exactly the cap is accepted
    const atCap = await postIncident(api, tablet, buildIncidentRequest({ goods: [line(2, 50_000_000)] }));
    expect(atCap.status).toBe(201);
    expect(atCap.body.valuePence).toBe(100_000_000);
  });

  it('refuses bad date filters in query strings, naming them', async () => {
    const failures: string[] = [];
    const statsRoutes = [
      '/api/v1/stats/headline?',
      '/api/v1/stats/series?interval=day&',
      '/api/v1/stats/breakdown?by=type&',
    ];
    for (const route of statsRoutes) {
      const ok = await api.http.get(`${route}from=2026-01-01&to=2026-01-31`, p.tokens.coordinator);
      if (ok.status !== 200) {
        failures.push(`${route} valid: ${ok.status} ${ok.text.slice(0, 200)}`);
      }
      for (const field of ['from', 'to']) {
        for (const value of BAD_DATES) {
          const r = await api.http.get(`${route}${field}=${encodeURIComponent(value)}`, p.tokens.coordinator);
          if (r.status !== 400 || !fieldsOf(r).includes(field)) {
            failures.push(`${route}${field}=${value}: ${r.status} ${r.text.slice(0, 200)}`);
          }
        }
      }
    }
    for (const field of ['occurredFrom', 'occurredTo']) {
      for (const value of BAD_DATETIMES) {
        const r = await api.http.get(
          `/api/v1/incidents?${field}=${encodeURIComponent(value)}`,
          p.tokens.coordinator,
        );
        if (r.status !== 400 || !fieldsOf(r).includes(field)) {
          failures.push(`/incidents?${field}=${value}: ${r.status} ${r.text.slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses bad evidence headers (capture time, producer and file name), storing no exhibit', async () => {
    const file = buildJpeg({ seed: 7 });
    const upload = (headers: Record<string, string>) =>
      api.http.request('PUT', `/api/v1/incidents/${incidentId}/evidence/${sha256(file)}`, {
        token: tablet,
        raw: file,
        headers: {
          'content-type': 'application/octet-stream',
          'x-evidence-producer': 'Sam%20Jones',
          'x-evidence-captured-at': '2026-11-20T14:03:00Z',
          ...headers,
        },
      });
    const before = await snapshot();
    const failures: string[] = [];
    const bad: [string, string][] = [
      ...BAD_DATETIMES.map((v): [string, string] => ['x-evidence-captured-at', v]),
      ...BAD_TEXT.filter((t) => !/[\uD800-\uDFFF]/.test(t)).flatMap((t): [string, string][] => [
        ['x-evidence-producer', encodeURIComponent(t)],
        ['x-evidence-filename', encodeURIComponent(`${t}.jpg`)],
      ]),
    ];
    for (const [header, value] of bad) {
      const r = await upload({ [header]: value });
      if (r.status !== 400 || !fieldsOf(r).includes(header)) {
        failures.push(`${header}: ${value}: ${r.status} ${r.text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
    const good = await upload({ 'x-evidence-captured-at': '2026-11-20T14:03:00+01:00' });
    expect(good.status).toBe(201);
  });

  it('answers 415 when an upload route is sent JSON instead of the file (it was a 500)', async () => {
    const hash = '0'.repeat(64);
    const routes: [string, string, Record<string, string>, string][] = [
      ['PUT', `/api/v1/incidents/${incidentId}/evidence/${hash}`, { 'x-evidence-producer': 'Sam' }, tablet],
      ['POST', `/api/v1/subjects/${subjectId}/images`, { 'x-content-sha256': hash }, p.tokens.coordinator],
    ];
    for (const [method, path, headers, token] of routes) {
      const r = await api.http.request(method, path, { token, body: { file: 'not a file' }, headers });
      expect({ path, status: r.status }).toEqual({ path, status: 415 });
    }
  });
});
