import { randomUUID } from 'node:crypto';
import {
  buildIncidentRequest,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  startTestApi,
  type TestApi,
} from '@app/testing';

// Slow when the machine is busy (argon2 logins, a fresh database per file); never a timing assertion.
jest.setTimeout(60_000);

describe('incident reporting', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let other: GivenPartnership;
  let tablet: { deviceId: string; token: string };

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    other = await givenPartnership(api);
    tablet = await givenTablet(api, p);
  });
  afterAll(() => api.close());

  const count = async (table: string, where = 'partnership_id = $1', params: unknown[] = [p.partnershipId]) =>
    Number((await api.db.owner.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0].n);

  describe('filing', () => {
    it('files a report from an enrolled tablet at its own store, with value at the offered price', async () => {
      const res = await postIncident(api, tablet.token);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        storeId: p.storeIds[0],
        status: 'submitted',
        version: 1,
        types: ['theft_shop', 'verbal_abuse'],
        valuePence: 6 * 650 + 2400,
        recoveredValuePence: 2 * 650,
        reportedBy: tablet.deviceId,
        reportedByKind: 'device',
        cctvClockOffsetSeconds: -90,
      });
      expect(res.body.reportedAt).toEqual(expect.any(String));
      const outbox = await api.db.owner.query(
        `SELECT name, payload FROM outbox WHERE partnership_id = $1 AND name = 'rollup-day'`,
        [p.partnershipId],
      );
      expect(outbox.length).toBeGreaterThanOrEqual(1);
    });

    it('refuses special-category offender fields by name, and names other bad fields', async () => {
      const bad = await postIncident(
        api,
        tablet.token,
        buildIncidentRequest({ offenders: [{ height: 'tall', ethnicity: 'x' }], ethnicity: 'y' }),
      );
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      const fields = (bad.body.details as { field: string; problems: string[] }[]).map((d) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['offenders[0].ethnicity', 'ethnicity']));
      expect(JSON.stringify(bad.body.details)).toContain('ethnicity is never recorded');

      for (const field of ['religion', 'sexualOrientation', 'politics']) {
        const r = await postIncident(
          api,
          tablet.token,
          buildIncidentRequest({ offenders: [{ [field]: 'x' }] }),
        );
        expect(r.status).toBe(400);
        expect(r.body.details).toEqual([
          { field: `offenders[0].${field}`, problems: [expect.stringContaining(field)] },
        ]);
      }

      const money = await postIncident(
        api,
        tablet.token,
        buildIncidentRequest({ goods: [{ description: 'x', quantity: 1, unitPricePence: 1.5 }] }),
      );
      expect(money.status).toBe(400);
      expect(money.body.details[0].field).toBe('goods[0].unitPricePence');
      const recovered = await postIncident(
        api,
        tablet.token,
        buildIncidentRequest({
          goods: [{ description: 'x', quantity: 1, unitPricePence: 100, recoveredQuantity: 2 }],
        }),
      );
      expect(recovered.status).toBe(400);
      expect(recovered.body.details[0].field).toBe('goods[0].recoveredQuantity');
    });

    it('lets a tablet report only for its own store, and a coordinator for any store of the partnership', async () => {
      const elsewhere = await postIncident(
        api,
        tablet.token,
        buildIncidentRequest({ storeId: p.storeIds[1] }),
      );
      expect(elsewhere.status).toBe(403);
      const coord = await postIncident(
        api,
        p.tokens.coordinator,
        buildIncidentRequest({ storeId: p.storeIds[1] }),
      );
      expect(coord.status).toBe(201);
      expect(coord.body.storeId).toBe(p.storeIds[1]);
      const noStore = await postIncident(api, p.tokens.coordinator, buildIncidentRequest());
      expect(noStore.body.details[0].field).toBe('storeId');
      const foreign = await postIncident(
        api,
        p.tokens.coordinator,
        buildIncidentRequest({ storeId: other.storeIds[0] }),
      );
      expect(foreign.status).toBe(400);
      expect(foreign.body.details[0].field).toBe('storeId');
      for (const role of ['police', 'analyst'] as const) {
        expect((await postIncident(api, p.tokens[role], buildIncidentRequest())).status).toBe(403);
      }
    });
  });

  describe('Idempotency-Key', () => {
    it('answers 400 without a key (or with a malformed one) and stores nothing', async () => {
      const before = await count('incidents');
      const missing = await postIncident(api, tablet.token, buildIncidentRequest(), null);
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISSING', statusCode: 400 });
      const malformed = await postIncident(api, tablet.token, buildIncidentRequest(), 'has space');
      expect(malformed.status).toBe(400);
      expect(await count('incidents')).toBe(before);
    });

    it('replays a retry byte for byte, and refuses the same key with a different body (422)', async () => {
      const key = randomUUID();
      const body = buildIncidentRequest();
      const first = await postIncident(api, tablet.token, body, key);
      expect(first.status).toBe(201);
      const before = await count('incidents');
      const outboxBefore = await count('outbox');
      for (let i = 0; i < 3; i++) {
        // same body, keys in another order: same canonical fingerprint
        const reordered = Object.fromEntries(Object.entries(body).reverse());
        const retry = await postIncident(api, tablet.token, reordered, key);
        expect(retry.status).toBe(201);
        expect(retry.text).toBe(first.text);
        expect(retry.headers.get('idempotent-replayed')).toBe('true');
      }
      const changed = await postIncident(api, tablet.token, { ...body, narrative: 'Something else' }, key);
      expect(changed.status).toBe(422);
      expect(changed.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', statusCode: 422 });
      expect(await count('incidents')).toBe(before);
      expect(await count('outbox')).toBe(outboxBefore);
      const stored = await api.db.owner.query(
        `SELECT principal_id, fingerprint, state, status_code, response_body FROM idempotency_keys WHERE key = $1`,
        [key],
      );
      expect(stored).toEqual([
        {
          principal_id: tablet.deviceId,
          fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
          state: 'completed',
          status_code: 201,
          response_body: first.text,
        },
      ]);
    });

    it('scopes keys to the principal and partnership: the same string elsewhere is another key', async () => {
      const key = randomUUID();
      const mine = await postIncident(api, tablet.token, buildIncidentRequest(), key);
      const theirs = await postIncident(api, p.tokens.shopworker, buildIncidentRequest(), key);
      const otherTenant = await postIncident(api, other.tokens.shopworker, buildIncidentRequest(), key);
      expect([mine.status, theirs.status, otherTenant.status]).toEqual([201, 201, 201]);
      expect(new Set([mine.body.id, theirs.body.id, otherTenant.body.id]).size).toBe(3);
      expect(otherTenant.body.storeId).toBe(other.storeIds[0]);
    });

    it('concurrent duplicates make exactly one report; the others replay it or get 409', async () => {
      const key = randomUUID();
      const body = buildIncidentRequest({ narrative: `concurrent ${key}` });
      const results = await Promise.all(
        Array.from({ length: 12 }, () => postIncident(api, tablet.token, body, key)),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      const created = results.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((r) => r.text)).size).toBe(1);
      for (const r of results.filter((x) => x.status === 409)) {
        expect(r.body.code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
      }
      const rows = await api.db.owner.query(`SELECT id FROM incidents WHERE narrative = $1`, [
        `concurrent ${key}`,
      ]);
      expect(rows).toHaveLength(1);
      const outbox = await api.db.owner.query(
        `SELECT count(*)::int AS n FROM outbox o WHERE o.payload->>'requestId' IN (
           SELECT request_id FROM access_log WHERE object_id = $1 AND action = 'collect')`,
        [rows[0].id],
      );
      expect(outbox[0].n).toBe(1);
      // a later retry replays the one report
      const retry = await postIncident(api, tablet.token, body, key);
      expect(retry.status).toBe(201);
      expect(retry.body.id).toBe(rows[0].id);
    });

    it('a request that fails half-way leaves no report, no key and no job, so its retry runs afresh', async () => {
      const key = randomUUID();
      const before = [await count('incidents'), await count('outbox'), await count('idempotency_keys')];
      const failed = await postIncident(
        api,
        p.tokens.coordinator,
        buildIncidentRequest({ storeId: other.storeIds[0], narrative: `half ${key}` }),
        key,
      );
      expect(failed.status).toBe(400);
      expect([await count('incidents'), await count('outbox'), await count('idempotency_keys')]).toEqual(
        before,
      );
      const retry = await postIncident(
        api,
        p.tokens.coordinator,
        buildIncidentRequest({ storeId: p.storeIds[0], narrative: `half ${key}` }),
        key,
      );
      expect(retry.status).toBe(201);
    });
  });
});
