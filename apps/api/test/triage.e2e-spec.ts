import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import {
  buildIncidentRequest,
  buildSubjectRequest,
  eventually,
  givenPartnership,
  type GivenPartnership,
  postIncident,
  seedIncident,
  startTestApi,
  type TestApi,
} from '@app/testing';
import { WorkerModule } from '../../worker/src/worker.module';

jest.setTimeout(120_000);

const DAY = 24 * 3600 * 1000;

interface Reason {
  factor: string;
  points: number;
  text: string;
}
interface Item {
  kind: 'case' | 'serial_flag' | 'report';
  id: string;
  score: number;
  reasons: Reason[];
  incidentCount: number;
  totalValuePence: number;
  case: { id: string; serialFlagId: string | null } | null;
  serialFlag: {
    id: string;
    subjectId: string;
    subjectReference: string;
    state: string;
    totalPence: number;
    theftCount: number;
    thresholdPence: number;
  } | null;
  report: { id: string; storeId: string; storeName: string; occurredAt: string; types: string[] } | null;
}

/**
 * The police triage queue lists what needs police attention before anyone opens a case: serial
 * flags still to act on and high-priority reports, ranked with the open cases by one score.
 */
describe('police triage queue: flags and reports before any case', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let p: GivenPartnership;
  let other: GivenPartnership;

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    other = await givenPartnership(api);
    worker = await NestFactory.createApplicationContext(WorkerModule.register(api.db.config), {
      logger: false,
    });
    await worker.init();
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  const queue = async (token: string, query = ''): Promise<Item[]> => {
    const res = await api.http.get(`/api/v1/cases${query}`, token);
    expect(res.status).toBe(200);
    return res.body.items as Item[];
  };

  /** A subject with three £80 thefts in three weeks, linked by the coordinator: the worker flags it. */
  const givenSerialFlag = async (g: GivenPartnership) => {
    const subject = await api.http.post('/api/v1/subjects', buildSubjectRequest(), g.tokens.coordinator);
    expect(subject.status).toBe(201);
    const incidentIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await seedIncident(api.db.owner, {
        partnershipId: g.partnershipId,
        storeId: g.storeIds[i % 2],
        reportedBy: g.users.shopworker.id,
        occurredAt: new Date(Date.now() - (21 - i * 7) * DAY),
        valuePence: 8000,
      });
      incidentIds.push(id);
      const linked = await api.http.post(
        `/api/v1/subjects/${subject.body.id}/incidents`,
        { incidentId: id },
        g.tokens.coordinator,
      );
      expect(linked.status).toBe(201);
    }
    const flag = await eventually(async () => {
      const res = await api.http.get('/api/v1/serial-flags?state=new', g.tokens.police);
      const f = res.body.items.find((x: { subjectId: string }) => x.subjectId === subject.body.id);
      expect(f).toBeDefined();
      return f as { id: string; subjectId: string; totalPence: number };
    });
    return { flag, subject: subject.body as { id: string; reference: string }, incidentIds };
  };

  const report = async (g: GivenPartnership, overrides: Record<string, unknown>) => {
    const res = await postIncident(api, g.tokens.store_manager, buildIncidentRequest(overrides));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  const consulted = async (actorId: string) =>
    (await api.db.owner.query(
      `SELECT object_type, object_id, justification FROM access_log WHERE action = 'consult' AND actor_id = $1`,
      [actorId],
    )) as { object_type: string; object_id: string; justification: string | null }[];

  it('ranks new flags and high-priority reports with reasons, and moves them on when a case is opened', async () => {
    // p: a serial flag, a violent report, a hate-aggravated one, and two that are not high priority
    const { flag, subject } = await givenSerialFlag(p);
    const robbery = await report(p, {
      types: ['robbery', 'violence_injury'],
      weapon: 'knife',
      injury: 'hospital',
    });
    const hate = await report(p, { types: ['hate_aggravated_abuse'] });
    const quietTheft = await report(p, {}); // theft and verbal abuse, nothing else
    const minorInjury = await report(p, { types: ['theft_shop'], injury: 'minor' });
    // the other partnership: its own flag (reviewed by its coordinator) and a violent report
    const theirs = await givenSerialFlag(other);
    expect(
      (
        await api.http.post(
          `/api/v1/serial-flags/${theirs.flag.id}/transitions`,
          { state: 'reviewed' },
          other.tokens.coordinator,
        )
      ).status,
    ).toBe(200);
    const theirRobbery = await report(other, { types: ['robbery'], weapon: 'firearm' });

    // before any case exists, the queue already holds the flag and the two high-priority reports
    const before = await queue(p.tokens.police);
    expect(before.map((i) => [i.kind, i.id])).toEqual([
      ['report', robbery], // violence 25 + weapon 25 + injury 20
      ['serial_flag', flag.id], // prolific 20; ties with the hate report, flags first
      ['report', hate], // hate-aggravated 20
    ]);
    for (const item of before) {
      expect(item.score).toBe(item.reasons.reduce((s, r) => s + r.points, 0));
    }
    const [robberyItem, flagItem, hateItem] = before;
    expect(robberyItem.reasons.map((r) => r.factor)).toEqual(['violence', 'weapon', 'injury']);
    expect(robberyItem.reasons.map((r) => r.text)).toEqual([
      'Violence or threats against staff',
      'A weapon was seen',
      'Someone was injured',
    ]);
    expect(robberyItem).toMatchObject({
      score: 70,
      incidentCount: 1,
      case: null,
      serialFlag: null,
      report: {
        id: robbery,
        storeId: p.storeIds[0],
        storeName: 'High Street Express',
        types: ['robbery', 'violence_injury'],
        weapon: 'knife',
        injury: 'hospital',
      },
    });
    expect(Date.parse(robberyItem.report!.occurredAt)).toBeLessThan(Date.now());
    expect(flagItem).toMatchObject({
      score: 20,
      incidentCount: 3,
      totalValuePence: 24000,
      case: null,
      report: null,
      serialFlag: {
        id: flag.id,
        subjectId: subject.id,
        subjectReference: subject.reference,
        state: 'new',
        totalPence: 24000,
        theftCount: 3,
        thresholdPence: 20000,
      },
    });
    expect(flagItem.reasons).toEqual([
      {
        factor: 'prolific',
        points: 20,
        text: 'Serial offender: 3 thefts of at most £200.00 each, together £240.00',
      },
    ]);
    expect(hateItem.reasons).toEqual([{ factor: 'hate', points: 20, text: 'Hate-aggravated abuse' }]);
    const listed = before.map((i) => i.id);
    for (const absent of [quietTheft, minorInjury, theirs.flag.id, theirRobbery]) {
      expect(listed).not.toContain(absent);
    }

    // reading the queue is a consultation of each item: the report, and the flag's subject
    const log = await consulted(p.users.police.id);
    expect(log).toEqual(
      expect.arrayContaining([
        { object_type: 'incident', object_id: robbery, justification: null },
        { object_type: 'incident', object_id: hate, justification: null },
        { object_type: 'subject', object_id: subject.id, justification: `serial flag ${flag.id}` },
      ]),
    );
    expect(log.map((l) => l.object_id)).not.toContain(quietTheft);

    // the other partnership's police see only theirs, the reviewed flag included
    expect((await queue(other.tokens.police)).map((i) => [i.kind, i.id, i.serialFlag?.state])).toEqual([
      ['report', theirRobbery, undefined],
      ['serial_flag', theirs.flag.id, 'reviewed'],
    ]);

    // pages of one follow the same order and end
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api.http.get(
        `/api/v1/cases?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        p.tokens.police,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      paged.push(...res.body.items.map((i: Item) => i.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(paged).toEqual(listed);

    // a status or an officer's own cases list cases only
    expect(await queue(p.tokens.police, '?status=new')).toEqual([]);
    expect(await queue(p.tokens.police, '?officer=me')).toEqual([]);
    expect((await queue(p.tokens.police, '?officer=unassigned')).map((i) => i.id)).toEqual(listed);

    // police open a case straight from the flag item: the flag leaves, the case takes its place
    const fromFlag = await api.http.post(
      '/api/v1/cases',
      { serialFlagId: flagItem.serialFlag!.id, reason: 'prolific series from triage' },
      p.tokens.police,
    );
    expect(fromFlag.status).toBe(201);
    const flagNow = await api.http.get(`/api/v1/serial-flags/${flag.id}`, p.tokens.police);
    expect(flagNow.status).toBe(200);
    expect(flagNow.body.state).toBe('case_opened');
    const afterFlag = await queue(p.tokens.police);
    expect(afterFlag.map((i) => [i.kind, i.id])).toEqual([
      ['report', robbery],
      ['case', fromFlag.body.id],
      ['report', hate],
    ]);
    // the case scores what its flag scored: the same rule over the same reports
    expect(afterFlag[1]).toMatchObject({
      score: flagItem.score,
      incidentCount: 3,
      case: { id: fromFlag.body.id, serialFlagId: flag.id },
      serialFlag: null,
      report: null,
    });

    // and from the report item: the report leaves, its case is ranked where the report was
    const fromReport = await api.http.post(
      '/api/v1/cases',
      { incidentId: robberyItem.report!.id, reason: 'knife robbery, victim in hospital' },
      p.tokens.police,
    );
    expect(fromReport.status).toBe(201);
    const afterReport = await queue(p.tokens.police);
    expect(afterReport.map((i) => [i.kind, i.id, i.score])).toEqual([
      ['case', fromReport.body.id, 70],
      ['case', fromFlag.body.id, 20],
      ['report', hate, 20],
    ]);
    expect(await queue(p.tokens.police, '?status=new')).toHaveLength(2);

    // the other partnership's queue is untouched by all of it
    expect((await queue(other.tokens.police)).map((i) => i.id)).toEqual([theirRobbery, theirs.flag.id]);
  });

  it('refuses a cursor it did not issue', async () => {
    const bad = Buffer.from('20|9|not-an-id').toString('base64url');
    const res = await api.http.get(`/api/v1/cases?cursor=${bad}`, p.tokens.police);
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('cursor');
  });
});
