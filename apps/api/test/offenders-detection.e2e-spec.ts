import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IncidentType } from '@app/incidents';
import { SerialFlag, SerialFlagState, SerialOffenderRepository, SubjectIncident } from '@app/offenders';
import { SystemDb, TenantDb } from '@app/database';
import {
  givenPartnership,
  type GivenPartnership,
  seedIncident,
  startTestApi,
  type TestApi,
} from '@app/testing';

jest.setTimeout(120_000);

const DAY = 24 * 3600 * 1000;

/**
 * Serial under-threshold detection at its edges, through the repository the worker runs (each
 * refresh is what one aggregation job does).
 */
describe('serial under-threshold detection', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let serial: SerialOffenderRepository;
  const base = new Date('2026-01-05T12:00:00Z');

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    const ds = api.app.get(DataSource);
    serial = new SerialOffenderRepository(new TenantDb(ds), new SystemDb(ds));
  });
  afterAll(() => api.close());

  async function subject(): Promise<string> {
    const res = await api.http.post(
      '/api/v1/subjects',
      { kind: 'id_sought', description: {} },
      p.tokens.coordinator,
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  /** Seeds thefts (pence, days after base) and links them to a fresh subject; refreshes it. */
  async function series(
    values: number[],
    days: number[] = values.map((_, i) => i),
    opts: { types?: IncidentType[] } = {},
  ): Promise<{ subjectId: string; ids: string[] }> {
    const subjectId = await subject();
    const ids: string[] = [];
    for (const [i, v] of values.entries()) {
      const id = await seedIncident(api.db.owner, {
        partnershipId: p.partnershipId,
        storeId: p.storeIds[i % 2],
        reportedBy: p.users.shopworker.id,
        occurredAt: new Date(base.getTime() + days[i] * DAY),
        valuePence: v,
        types: opts.types,
      });
      const link = await api.http.post(
        `/api/v1/subjects/${subjectId}/incidents`,
        { incidentId: id },
        p.tokens.coordinator,
      );
      expect(link.status).toBe(201);
      ids.push(id);
    }
    await serial.refreshSubject(p.partnershipId, subjectId, 'test');
    return { subjectId, ids };
  }

  const openFlag = (subjectId: string) => api.db.owner.manager.findOneBy(SerialFlag, { subjectId });

  describe('threshold edges (each theft at or under £200)', () => {
    it('£199.99 each: three make a flag', async () => {
      const { subjectId, ids } = await series([19999, 19999, 19999]);
      const flag = await openFlag(subjectId);
      expect(flag).toMatchObject({ state: SerialFlagState.New, totalPence: '59997', thresholdApplies: true });
      expect(flag!.incidentIds).toEqual(ids);
      // smallest oldest-first subset crossing £200: the first two
      expect(flag!.crossingIncidentIds).toEqual(ids.slice(0, 2));
      expect(flag!.crossingTotalPence).toBe('39998');
      expect(flag!.legalConsequence).toContain('values aggregate');
      expect(flag!.legalConsequence).toContain('none of them is low-value shoplifting');
    });

    it('£200.00 each counts (exactly £200 is low-value)', async () => {
      const { subjectId } = await series([20000, 20000, 20000]);
      expect(await openFlag(subjectId)).toMatchObject({ totalPence: '60000' });
    });

    it('£200.01 is not a candidate: already either-way, listed apart', async () => {
      const { subjectId } = await series([20001, 20001, 20001]);
      expect(await openFlag(subjectId)).toBeNull();
      const mixed = await series([20001, 10000, 10000, 10000]);
      const flag = await openFlag(mixed.subjectId);
      expect(flag!.incidentIds).toEqual(mixed.ids.slice(1));
      expect(flag!.overThresholdIncidentIds).toEqual([mixed.ids[0]]);
    });

    it('a total of exactly £200 does not flag; one penny more does', async () => {
      expect(await openFlag((await series([10000, 5000, 5000])).subjectId)).toBeNull();
      const over = await series([10000, 5000, 5001]);
      expect(await openFlag(over.subjectId)).toMatchObject({ totalPence: '20001' });
      expect((await openFlag(over.subjectId))!.crossingIncidentIds).toEqual(over.ids);
    });

    it('only theft_shop counts; a missing value is excluded', async () => {
      const other = await series([10000, 10000, 10000], undefined, { types: [IncidentType.TheftOther] });
      expect(await openFlag(other.subjectId)).toBeNull();
      expect(await openFlag((await series([15000, 15000, 0])).subjectId)).toBeNull();
    });
  });

  describe('window edges (90 days, closed)', () => {
    it('first and last exactly 90 days apart are in one window', async () => {
      const { subjectId } = await series([8000, 8000, 8000], [0, 45, 90]);
      expect(await openFlag(subjectId)).not.toBeNull();
    });

    it('one day more and they are not', async () => {
      expect(await openFlag((await series([8000, 8000, 8000], [0, 45, 91])).subjectId)).toBeNull();
    });

    it('a later window is found when an earlier one does not qualify', async () => {
      const { subjectId, ids } = await series([8000, 8000, 8000, 8000], [0, 200, 250, 280]);
      const flag = await openFlag(subjectId);
      expect(flag!.incidentIds).toEqual(ids.slice(1));
    });
  });

  describe('N edges (default 3)', () => {
    it('two thefts over £200 together do not flag at N = 3', async () => {
      expect(await openFlag((await series([15000, 15000])).subjectId)).toBeNull();
    });

    it('N follows the partnership setting', async () => {
      const set = (body: Record<string, number>) =>
        api.http.post(
          '/api/v1/offender-settings',
          { thresholdPence: 20000, windowDays: 90, minIncidents: 3, exclusionMonths: 12, ...body },
          p.tokens.coordinator,
        );
      expect((await set({ minIncidents: 2 })).status).toBe(200);
      try {
        expect(await openFlag((await series([15000, 15000])).subjectId)).not.toBeNull();
        expect(await openFlag((await series([25000])).subjectId)).toBeNull();
        expect((await set({ minIncidents: 4 })).status).toBe(200);
        expect(await openFlag((await series([9000, 9000, 9000])).subjectId)).toBeNull();
        expect(await openFlag((await series([9000, 9000, 9000, 9000])).subjectId)).not.toBeNull();
        expect((await set({ minIncidents: 1 })).status).toBe(400);
      } finally {
        await set({});
      }
    });
  });

  describe('unlink recomputation', () => {
    it('unlinking a theft recomputes aggregates and withdraws a flag that no longer holds', async () => {
      const { subjectId, ids } = await series([9000, 9000, 9000]);
      expect(await openFlag(subjectId)).toMatchObject({ state: 'new' });
      const res = await api.http.post(
        `/api/v1/subjects/${subjectId}/incidents/unlink`,
        { incidentId: ids[2], reason: 'wrong person: CCTV shows someone else' },
        p.tokens.coordinator,
      );
      expect(res.status).toBe(204);
      await serial.refreshSubject(p.partnershipId, subjectId, 'test');
      expect(await openFlag(subjectId)).toMatchObject({ state: SerialFlagState.Withdrawn });
      const [agg] = await api.db.owner.query(
        `SELECT incident_count, total_value_pence::int AS total FROM subject_aggregates WHERE subject_id = $1`,
        [subjectId],
      );
      expect(agg).toEqual({ incident_count: 2, total: 18000 });
      // linked again: flagged again (a withdrawn flag does not cover its bundle)
      await api.http.post(
        `/api/v1/subjects/${subjectId}/incidents`,
        { incidentId: ids[2] },
        p.tokens.coordinator,
      );
      const again = await serial.refreshSubject(p.partnershipId, subjectId, 'test');
      expect(again?.flag).toBe('created');
    });

    it('an amendment to a linked incident refreshes its subject through the outbox', async () => {
      const { subjectId, ids } = await series([9000, 9000, 9000]);
      await api.db.owner.query(`UPDATE incidents SET value_pence = 5000 WHERE id = $1`, [ids[0]]);
      const [job] = await api.db.owner.query(
        `SELECT payload FROM outbox WHERE name = 'offender-refresh-subject' AND payload->>'requestId' = $1`,
        [`incident-${ids[0]}`],
      );
      expect(job.payload).toMatchObject({ partnershipId: p.partnershipId, subjectId });
      await serial.refreshSubject(p.partnershipId, subjectId, 'test');
      expect((await openFlag(subjectId))!.totalPence).toBe('23000');
      expect(await api.db.owner.manager.findOneByOrFail(SerialFlag, { subjectId })).toMatchObject({
        state: 'new',
      });
    });

    it('a redelivered job changes nothing and raises no second alert', async () => {
      const { subjectId } = await series([9000, 9000, 9000]);
      const alerts = async () =>
        Number(
          (
            await api.db.owner.query(`SELECT count(*)::int AS n FROM alerts WHERE offender_profile_id = $1`, [
              subjectId,
            ])
          )[0].n,
        );
      expect(await alerts()).toBe(1);
      const again = await serial.refreshSubject(p.partnershipId, subjectId, 'test');
      expect(again?.flag).toBe('updated');
      expect(await alerts()).toBe(1);
      expect(await api.db.owner.manager.countBy(SerialFlag, { subjectId })).toBe(1);
    });
  });

  it('concurrent incidents for one subject lose no update', async () => {
    const subjectId = await subject();
    const ids = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        seedIncident(api.db.owner, {
          partnershipId: p.partnershipId,
          storeId: p.storeIds[0],
          reportedBy: p.users.shopworker.id,
          occurredAt: new Date(base.getTime() + i * 3600_000),
          valuePence: 2000 + i,
        }),
      ),
    );
    // links and jobs race: each link is its own transaction and its own refresh
    await Promise.all(
      ids.map(async (incidentId) => {
        const r = await api.http.post(
          `/api/v1/subjects/${subjectId}/incidents`,
          { incidentId },
          p.tokens.coordinator,
        );
        expect(r.status).toBe(201);
        await serial.refreshSubject(p.partnershipId, subjectId, randomUUID());
      }),
    );
    const [agg] = await api.db.owner.query(
      `SELECT incident_count, total_value_pence::int AS total, version FROM subject_aggregates WHERE subject_id = $1`,
      [subjectId],
    );
    expect(agg.incident_count).toBe(12);
    expect(agg.total).toBe(12 * 2000 + 66);
    expect(agg.version).toBe(12);
    expect(await api.db.owner.manager.countBy(SubjectIncident, { subjectId })).toBe(12);
    expect(await api.db.owner.manager.countBy(SerialFlag, { subjectId })).toBe(1);
  });

  describe('law as data: the s.22A repeal and the retail-worker offence', () => {
    const setRule = (key: string, from: string | null) =>
      api.db.owner.query(
        `UPDATE legal_rules SET effective_from = $2 WHERE jurisdiction = 'england_wales' AND key = $1`,
        [key, from],
      );
    afterEach(async () => {
      await setRule('s22a.repeal', null);
      await setRule('retail_worker_offence', null);
    });

    it('before the repeal date the threshold applies; on and after it the flag says it no longer does', async () => {
      await setRule('s22a.repeal', '2026-01-08');
      // offences on 5, 6, 7 January: the day before the date is still s.22A
      const before = await series([9000, 9000, 9000], [0, 1, 2]);
      expect(await openFlag(before.subjectId)).toMatchObject({ thresholdApplies: true });
      // 6, 7, 8 January: the last is on the date
      const across = await series([9000, 9000, 9000], [1, 2, 3]);
      const flag = await openFlag(across.subjectId);
      expect(flag).toMatchObject({ thresholdApplies: false });
      expect(flag!.legalConsequence).toContain('no longer applies');
      expect(flag!.legalConsequence).toContain('2 of them predate the repeal');
      expect(flag!.rule).toMatchObject({ repealCommencesOn: '2026-01-08', thresholdPence: 20000 });
    });

    it('a blank repeal date never changes earlier or later conduct', async () => {
      const { subjectId } = await series([9000, 9000, 9000], [400, 401, 402]);
      expect(await openFlag(subjectId)).toMatchObject({ thresholdApplies: true });
    });

    it('marks assaults on retail workers dated on or after the offence commencement only', async () => {
      await setRule('retail_worker_offence', '2026-01-06');
      const { subjectId, ids } = await series([0, 0], [0, 1], { types: [IncidentType.ViolenceNoInjury] });
      const links = await api.db.owner.manager.find(SubjectIncident, { where: { subjectId } });
      const marked = Object.fromEntries(links.map((l) => [l.incidentId, l.retailWorkerOffence]));
      expect(marked).toEqual({ [ids[0]]: false, [ids[1]]: true });
      const [agg] = await api.db.owner.query(
        `SELECT violence, retail_worker_offences FROM subject_aggregates WHERE subject_id = $1`,
        [subjectId],
      );
      expect(agg).toEqual({ violence: true, retail_worker_offences: 1 });
    });
  });

  it('full rebuild, then full detection in one query agrees with the open flags', async () => {
    const rebuilt = await serial.rebuild();
    expect(rebuilt.subjects).toBeGreaterThan(20);
    const hits = await api.app.get(DataSource).transaction(async (em) => {
      await em.query(`SELECT set_config('app.partnership_id', $1, true)`, [p.partnershipId]);
      return serial.detect(em, p.partnershipId, { thresholdPence: 20000, windowDays: 90, minIncidents: 3 });
    });
    const open = await api.db.owner.query(
      `SELECT DISTINCT subject_id FROM serial_flags WHERE partnership_id = $1 AND state IN ('new', 'reviewed')`,
      [p.partnershipId],
    );
    expect(new Set(hits.map((h) => h.subjectId))).toEqual(
      new Set(open.map((r: { subject_id: string }) => r.subject_id)),
    );
  });
});
