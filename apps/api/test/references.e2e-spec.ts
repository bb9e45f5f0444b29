import { randomUUID } from 'node:crypto';
import { Incident } from '@app/incidents';
import {
  buildIncidentRequest,
  buildSubjectRequest,
  givenPartnership,
  type GivenPartnership,
  postIncident,
  startTestApi,
  type TestApi,
} from '@app/testing';

jest.setTimeout(120_000);

interface World {
  api: TestApi;
  p: GivenPartnership;
  own: string;
  foreign: string;
  incident: { id: string; version: number };
}

/** A reference in a request body and where it goes. */
interface Reference {
  field: string;
  call(w: World, id: string): Promise<{ status: number; body: any }>;
  ok: number;
}

const REFERENCES: Reference[] = [
  {
    field: 'offenderId',
    ok: 201,
    call: (w, id) => postIncident(w.api, w.p.tokens.shopworker, buildIncidentRequest({ offenderId: id })),
  },
  {
    field: 'offenderId',
    ok: 200,
    call: async (w, id) => {
      const res = await w.api.http.request('PATCH', `/api/v1/incidents/${w.incident.id}`, {
        token: w.p.tokens.coordinator,
        body: { version: w.incident.version, offenderId: id, reason: 'Linked to a subject' },
      });
      if (res.status === 200) {
        w.incident.version = res.body.version;
      }
      return res;
    },
  },
  {
    field: 'offenderProfileId',
    ok: 201,
    call: (w, id) =>
      w.api.http.post(
        '/api/v1/alerts',
        {
          type: 'offender_sighted',
          message: 'Seen by the tills',
          target: { kind: 'partnership' },
          offenderProfileId: id,
        },
        w.p.tokens.coordinator,
      ),
  },
];

async function world(overrides: Record<string, string> = {}): Promise<World> {
  const api = await startTestApi(overrides);
  const p = await givenPartnership(api);
  const other = await givenPartnership(api);
  const subject = async (g: GivenPartnership) =>
    (await api.http.post('/api/v1/subjects', buildSubjectRequest(), g.tokens.coordinator)).body.id as string;
  const filed = await postIncident(api, p.tokens.shopworker);
  return {
    api,
    p,
    own: await subject(p),
    foreign: await subject(other),
    incident: { id: filed.body.id, version: filed.body.version },
  };
}

/**
 * A subject reference names a subject of the caller's partnership or is refused 400 naming the
 * field: by the service's check, and (with that check switched off, NODE_ENV=test only) by the
 * composite foreign key, whose violation is answered the same way rather than 500.
 */
describe.each([
  ['the service check', {}],
  ['the foreign key alone', { TEST_DEFECTS: 'reference-check-off' }],
])('subject references, refused by %s', (_name, overrides) => {
  let w: World;
  beforeAll(async () => {
    w = await world(overrides);
  });
  afterAll(() => w.api.close());

  it.each(REFERENCES.map((r, i) => [`${r.field} #${i}`, r] as const))(
    '%s: another partnership’s subject and a random uuid answer 400 naming the field; its own subject passes',
    async (_label, ref) => {
      for (const id of [w.foreign, randomUUID()]) {
        const res = await ref.call(w, id);
        expect({ status: res.status, details: res.body?.details }).toEqual({
          status: 400,
          details: [{ field: ref.field, problems: [expect.any(String)] }],
        });
      }
      expect((await ref.call(w, w.own)).status).toBe(ref.ok);
    },
  );

  it('the database refuses a cross-partnership offender even to the table owner', async () => {
    const base = await w.api.db.owner.manager.findOneByOrFail(Incident, { id: w.incident.id });
    const { id: _id, ...row } = base;
    await expect(
      w.api.db.owner.manager.insert(Incident, { ...row, offenderId: w.foreign }),
    ).rejects.toMatchObject({ code: '23503', constraint: 'incidents_offender_id_fkey' });
    await expect(
      w.api.db.owner.manager.insert(Incident, { ...row, offenderId: randomUUID() }),
    ).rejects.toMatchObject({ code: '23503' });
  });

  it('the database refuses a case naming another partnership’s subject or no serial flag', async () => {
    const insertCase = (column: string, value: string) =>
      w.api.db.owner.query(
        `INSERT INTO cases (partnership_id, reference, status, origin, title, opened_by, ${column})
         VALUES ($1, 'C-REF', 'new', 'incident', 'Reference check', $2, $3)`,
        [w.p.partnershipId, w.p.users.police.id, value],
      );
    await expect(insertCase('subject_id', w.foreign)).rejects.toMatchObject({
      code: '23503',
      constraint: 'cases_subject_id_fkey',
    });
    await expect(insertCase('serial_flag_id', randomUUID())).rejects.toMatchObject({
      code: '23503',
      constraint: 'cases_serial_flag_id_fkey',
    });
    await expect(insertCase('subject_id', w.own)).resolves.toBeDefined();
  });
});
