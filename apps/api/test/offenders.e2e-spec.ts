import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Clock } from '@app/database';
import {
  buildSubjectRequest,
  eventually,
  givenPartnership,
  type GivenPartnership,
  seedIncident,
  startTestApi,
  type TestApi,
} from '@app/testing';
import { WorkerModule } from '../../worker/src/worker.module';

jest.setTimeout(120_000);

const DAY = 24 * 3600 * 1000;

/** A coordinator runs offender intelligence end to end, with the worker in process. */
describe('offender intelligence', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let p: GivenPartnership;
  let other: GivenPartnership;
  let now: Date;

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    other = await givenPartnership(api);
    worker = await NestFactory.createApplicationContext(WorkerModule.register(api.db.config), {
      logger: false,
    });
    await worker.init();
    now = new Date();
    jest.spyOn(api.app.get(Clock), 'now').mockImplementation(() => now);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  const post = (path: string, body: unknown, token = p.tokens.coordinator) =>
    api.http.post(`/api/v1${path}`, body, token);
  const get = (path: string, token = p.tokens.coordinator) => api.http.get(`/api/v1${path}`, token);
  const consults = async (objectType: string, objectId: string, actorId: string) =>
    Number(
      (
        await api.db.owner.query(
          `SELECT count(*)::int AS n FROM access_log WHERE action = 'consult' AND object_type = $1 AND object_id = $2 AND actor_id = $3`,
          [objectType, objectId, actorId],
        )
      )[0].n,
    );

  it('refuses special-category fields by name', async () => {
    for (const field of ['ethnicity', 'religion', 'sexualOrientation', 'politics']) {
      const res = await post('/subjects', buildSubjectRequest({ [field]: 'x' }));
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field, problems: [expect.stringContaining(`${field} is never recorded`)] },
      ]);
      const nested = await post(
        '/subjects',
        buildSubjectRequest({ description: { height: 'tall', [field]: 'x' } }),
      );
      expect(nested.status).toBe(400);
      expect(nested.body.details[0].field).toBe(`description.${field}`);
    }
  });

  it('journey: list with reason and incidents, link, flag, radio alert, case-ready', async () => {
    // 1. a subject and three thefts of £80 in three weeks, each under £200
    const subject = await post('/subjects', buildSubjectRequest());
    expect(subject.status).toBe(201);
    const sid = subject.body.id as string;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        await seedIncident(api.db.owner, {
          partnershipId: p.partnershipId,
          storeId: p.storeIds[i % 2],
          reportedBy: p.users.shopworker.id,
          occurredAt: new Date(now.getTime() - (21 - i * 7) * DAY),
          valuePence: 8000,
          offenders: [{ vehicleRegistration: 'AB12 CDE' } as never],
        }),
      );
    }
    // 2. suggestions never link by themselves
    const sugg = await get(`/subjects/${sid}/suggestions`);
    expect(sugg.status).toBe(200);
    expect(sugg.body.items.map((s: { incidentId: string }) => s.incidentId).sort()).toEqual([...ids].sort());
    expect(sugg.body.items[0].reasons).toContain('vehicle registration');
    expect((await get(`/subjects/${sid}/incidents`)).body.items).toEqual([]);

    // 3. the coordinator links the first, proposes a listing resting on it; the admin reviews
    expect(
      (await post(`/subjects/${sid}/incidents`, { incidentId: ids[0], note: 'CCTV match' })).status,
    ).toBe(201);
    const gallery = await post('/galleries', {
      name: 'Prolific shoplifters',
      defaultListingDays: 30,
      audienceRoles: ['store_manager', 'shopworker'],
    });
    expect(gallery.status).toBe(201);
    const unlinked = await post(`/galleries/${gallery.body.id}/listings`, {
      subjectId: sid,
      reason: 'Repeated thefts',
      incidentIds: [ids[1]],
    });
    expect(unlinked.status).toBe(400);
    const listing = await post(`/galleries/${gallery.body.id}/listings`, {
      subjectId: sid,
      reason: 'Repeated thefts of meat, identified on CCTV',
      incidentIds: [ids[0]],
    });
    expect(listing.status).toBe(201);
    expect(listing.body.state).toBe('pending');
    // not visible to members before review
    expect((await get(`/subjects/${sid}`, p.tokens.shopworker)).status).toBe(404);
    expect((await post(`/gallery-listings/${listing.body.id}/review`, { decision: 'approve' })).status).toBe(
      403,
    );
    const approved = await post(
      `/gallery-listings/${listing.body.id}/review`,
      { decision: 'approve' },
      p.tokens.admin,
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'listed', current: true });

    // 4. visible to the audience while listed; every view is logged; never to tablets or analysts
    const seen = await get(`/subjects/${sid}`, p.tokens.shopworker);
    expect(seen.status).toBe(200);
    expect(await consults('subject', sid, p.users.shopworker.id)).toBe(1);
    const view = await get(`/galleries/${gallery.body.id}/subjects`, p.tokens.store_manager);
    expect(view.body.items.map((s: { id: string }) => s.id)).toEqual([sid]);
    expect(await consults('subject', sid, p.users.store_manager.id)).toBe(1);
    expect((await get(`/subjects/${sid}`, p.tokens.police)).status).toBe(404);
    expect((await get(`/subjects/${sid}`, p.tokens.analyst)).status).toBe(403);
    expect((await get(`/subjects/${sid}`, other.tokens.coordinator)).status).toBe(404);

    // 5. linking the other two: the worker aggregates and flags; the radio alert is in the outbox
    for (const id of ids.slice(1)) {
      expect((await post(`/subjects/${sid}/incidents`, { incidentId: id })).status).toBe(201);
    }
    const flag = await eventually(async () => {
      const res = await get('/serial-flags?state=new');
      const f = res.body.items.find((x: { subjectId: string }) => x.subjectId === sid);
      expect(f).toBeDefined();
      return f;
    });
    expect(flag).toMatchObject({
      totalPence: 24000,
      incidentIds: ids,
      crossingIncidentIds: ids,
      thresholdApplies: true,
      storeIds: expect.arrayContaining(p.storeIds),
    });
    expect(flag.legalConsequence).toContain('Charged together on the same occasion, the values aggregate');
    const [alert] = await api.db.owner.query(
      `SELECT id, message, offender_profile_id FROM alerts WHERE id = $1`,
      [flag.alertId],
    );
    expect(alert.offender_profile_id).toBe(sid);
    expect(alert.message).toContain('£240.00');
    const outbox = await api.db.owner.query(
      `SELECT rooms FROM outbox WHERE kind = 'realtime' AND payload->>'id' = $1`,
      [alert.id],
    );
    expect(outbox).toEqual([{ rooms: [`staff:${p.partnershipId}`] }]);
    const subj = await get(`/subjects/${sid}`);
    expect(subj.body.aggregate).toMatchObject({ incidentCount: 3, totalValuePence: 24000, violence: false });

    // 6. reviewed, then the police open a case from it: the flag moves on with the case
    expect((await post(`/serial-flags/${flag.id}/transitions`, { state: 'reviewed' })).status).toBe(200);
    const opened = await api.http.post(
      '/api/v1/cases',
      { serialFlagId: flag.id, reason: 'prolific series' },
      p.tokens.police,
    );
    expect(opened.status).toBe(201);
    expect((await get(`/serial-flags/${flag.id}`, p.tokens.police)).body).toMatchObject({
      state: 'case_opened',
      decisionNote: `police case ${opened.body.id} opened from this flag`,
    });
    expect(
      (await post(`/serial-flags/${flag.id}/transitions`, { state: 'dismissed', note: 'x' })).status,
    ).toBe(409);
  });

  it('listings expire by themselves and renew only with new incidents (injected clock)', async () => {
    const sid = (await post('/subjects', buildSubjectRequest({ name: 'Expiring Person' }))).body.id as string;
    const first = await seedIncident(api.db.owner, {
      partnershipId: p.partnershipId,
      storeId: p.storeIds[0],
      reportedBy: p.users.shopworker.id,
      occurredAt: new Date(now.getTime() - DAY),
    });
    await post(`/subjects/${sid}/incidents`, { incidentId: first });
    const g = await post('/galleries', {
      name: 'Short term',
      defaultListingDays: 10,
      audienceRoles: ['shopworker'],
    });
    const l = await post(`/galleries/${g.body.id}/listings`, {
      subjectId: sid,
      reason: 'Theft',
      incidentIds: [first],
    });
    await post(`/gallery-listings/${l.body.id}/review`, { decision: 'approve' }, p.tokens.admin);
    const start = now;
    try {
      now = new Date(start.getTime() + 10 * DAY - 1000);
      expect((await get(`/subjects/${sid}`, p.tokens.shopworker)).status).toBe(200);
      now = new Date(start.getTime() + 10 * DAY + 1000);
      expect((await get(`/subjects/${sid}`, p.tokens.shopworker)).status).toBe(404);
      expect((await get(`/galleries/${g.body.id}/subjects`, p.tokens.shopworker)).body.items).toEqual([]);
      // renewing with the same incident is refused; a newer linked incident renews it
      expect(
        (await post(`/gallery-listings/${l.body.id}/renew`, { incidentIds: [first], reason: 'again' }))
          .status,
      ).toBe(400);
      const fresh = await seedIncident(api.db.owner, {
        partnershipId: p.partnershipId,
        storeId: p.storeIds[0],
        reportedBy: p.users.shopworker.id,
        occurredAt: new Date(now.getTime() - DAY),
      });
      await post(`/subjects/${sid}/incidents`, { incidentId: fresh });
      const renewed = await post(`/gallery-listings/${l.body.id}/renew`, {
        incidentIds: [fresh],
        reason: 'seen again',
      });
      expect(renewed.status).toBe(200);
      expect(renewed.body.current).toBe(true);
      expect((await get(`/subjects/${sid}`, p.tokens.shopworker)).status).toBe(200);
      const delisted = await post(`/gallery-listings/${l.body.id}/delist`, { reason: 'Appeal upheld' });
      expect(delisted.body).toMatchObject({ state: 'delisted', current: false });
      expect((await get(`/subjects/${sid}`, p.tokens.shopworker)).status).toBe(404);
    } finally {
      now = start;
    }
  });

  it('exclusion notices: 12-month default, stop applying by themselves, appeal outcome', async () => {
    const sid = (await post('/subjects', buildSubjectRequest({ name: 'Excluded Person' }))).body.id as string;
    const servedAt = new Date(now.getTime() - DAY);
    const notice = await post(`/subjects/${sid}/exclusion-notices`, {
      storeIds: [p.storeIds[0]],
      reason: 'Repeated theft and abuse of staff',
      servedAt: servedAt.toISOString(),
      servedByName: 'Jo Manager',
      serviceMethod: 'in_person',
      acknowledgement: 'refused',
    });
    expect(notice.status).toBe(201);
    const expected = new Date(servedAt);
    expected.setUTCMonth(expected.getUTCMonth() + 12);
    expect(notice.body).toMatchObject({
      applies: true,
      expiresAt: expected.toISOString(),
      appealStatus: 'none',
    });
    // a store manager serves for their own store only
    const foreignStore = await post(
      `/subjects/${sid}/exclusion-notices`,
      {
        storeIds: [p.storeIds[1]],
        reason: 'x y z',
        servedAt: servedAt.toISOString(),
        servedByName: 'A',
        serviceMethod: 'post',
      },
      p.tokens.store_manager,
    );
    expect(foreignStore.status).toBe(403);

    const applying = async () =>
      (await get(`/exclusion-notices?storeId=${p.storeIds[0]}`)).body.items.map((n: { id: string }) => n.id);
    const start = now;
    try {
      now = new Date(expected.getTime() - 1000);
      expect(await applying()).toContain(notice.body.id);
      now = new Date(expected.getTime() + 1000);
      expect(await applying()).not.toContain(notice.body.id);
      const list = await get(`/subjects/${sid}/exclusion-notices`);
      expect(list.body.items[0]).toMatchObject({ id: notice.body.id, applies: false });
    } finally {
      now = start;
    }
    const lodged = await post(`/exclusion-notices/${notice.body.id}/appeal`, { status: 'lodged' });
    expect(lodged.body).toMatchObject({ appealStatus: 'lodged', applies: true });
    const decided = await post(`/exclusion-notices/${notice.body.id}/appeal`, {
      status: 'decided',
      outcome: 'overturned',
      note: 'Board: wrong person',
    });
    expect(decided.body).toMatchObject({
      appealStatus: 'decided',
      appealOutcome: 'overturned',
      applies: false,
    });
    expect(await applying()).not.toContain(notice.body.id);
  });
});
