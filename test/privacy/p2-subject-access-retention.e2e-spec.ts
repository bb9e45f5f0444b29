import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AlertTarget, AlertType, raiseAlert } from '@app/alerts';
import { CaseHistoryEntry, CaseIncident, CaseOrigin, CaseStatus, PoliceCase } from '@app/cases';
import { Clock } from '@app/database';
import { JobName } from '@app/queue';
import {
  buildIncidentRequest,
  buildJpeg,
  buildSubjectRequest,
  givenPartnership,
  type GivenPartnership,
  postIncident,
  postStatement,
  sha256,
  startTestApi,
  type TestApi,
  testConfig,
} from '@app/testing';
import { RetentionProcessor } from '../../apps/worker/src/retention/retention.processor';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { readHistory } from '../lib/history-reader';
import { startApiOn } from '../lib/stack';
import { checkRetention, checkSubjectAccess, type PlantedPlace } from '../lib/privacy-checker';
import {
  deriveSeed,
  History,
  type NegativeControl,
  recordResult,
  scale,
  SPEC_TIMEOUT_MS,
} from '../lib/programme';

jest.setTimeout(SPEC_TIMEOUT_MS);

/**
 * P2 (quality.md section 6): one person planted in 7 places (report as victim, as witness with an
 * MG11, alert, evidence metadata, access log, subject link, case message); the subject access
 * export must hold all 7 with third parties redacted, and is logged as a disclosure. Then retention
 * under an injected clock: what is due is erased (with its statements and exhibits), what is on
 * legal hold and what is not yet due stays, every erasure has exactly one `erase` log row. The
 * checker reads the planted ids from the JSONL history. Controls: a table left out of the export
 * (6/7), a held record erased, an erasure without its log row.
 */
const ID = 'P2';
const SEED = deriveSeed(ID);
const DAY = 86_400_000;

const statementBody = (name: string, readOverBy?: string) => ({
  witnessName: name,
  statementText: `I saw the man take the goods. ${randomBytes(4).toString('hex')}`,
  pageCount: 1,
  declarationAcknowledged: true,
  signatureName: name,
  ...(readOverBy ? { readOverBy } : {}),
});

/** A master and its exhibit, as the table owner (uploads are covered by the evidence specs). */
async function seedExhibit(
  api: TestApi,
  partnershipId: string,
  incidentId: string,
  by: string,
  producer: string,
) {
  const jpeg = buildJpeg({ seed: Math.floor(Math.random() * 1e9) });
  const hash = sha256(jpeg);
  await api.db.owner.query(
    `INSERT INTO evidence_masters (partnership_id, sha256, size_bytes, media_type) VALUES ($1, $2, $3, 'image/jpeg')`,
    [partnershipId, hash, jpeg.length],
  );
  const [row] = await api.db.owner.query(
    `INSERT INTO exhibits (partnership_id, incident_id, sha256, reference, producer_name, original_name, media_type,
                           size_bytes, uploaded_by, uploaded_by_kind)
     VALUES ($1, $2, $3, $4, $5, 'still.jpg', 'image/jpeg', $6, $7, 'user') RETURNING id`,
    [partnershipId, incidentId, hash, `PW/${randomBytes(3).toString('hex')}`, producer, jpeg.length, by],
  );
  return row.id as string;
}

describe('P2 subject access and retention', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let worker: INestApplicationContext;
  const started = new Date().toISOString();
  const controls: NegativeControl[] = [];
  const counts: Record<string, number> = {};
  let sarHistoryFile: string | undefined;

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    worker = await NestFactory.createApplicationContext(WorkerModule.register(api.db.config), {
      logger: false,
    });
  });
  afterAll(async () => {
    await worker?.close();
    const storage = api.db.config.storage.dir;
    await api.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it('exports all 7 places of one person with third parties redacted, logged as a disclosure', async () => {
    const history = new History(`${ID}-sar`);
    sarHistoryFile = history.file;
    const person = p.users.shopworker;
    const [{ display_name: name }] = await api.db.owner.query(
      `SELECT display_name FROM users WHERE id = $1`,
      [person.id],
    );
    const canary = () => `third-${randomBytes(6).toString('hex')}`;
    const third = {
      witness: canary(),
      contact: canary(),
      subject: canary(),
      reader: canary(),
      words: canary(),
    };
    const plant = async (
      place: string,
      section: string,
      make: () => Promise<{ status: number; id: string; error?: string }>,
    ) => {
      await history.run({ op: randomUUID(), client: 'planter', kind: 'plant', key: place }, make, (r) => ({
        place,
        section,
        id: r.id,
        error: r.error,
      }));
    };

    // 1. report as victim (the reporter), naming a third-party witness and describing an offender
    let victimIncident = '';
    await plant('report as victim', 'reportsAsVictim', async () => {
      const r = await postIncident(
        api,
        p.tokens.shopworker,
        buildIncidentRequest({
          witnesses: [{ name: third.witness, kind: 'customer', contact: third.contact }],
        }),
      );
      victimIncident = r.body.id;
      return { status: r.status, id: r.body.id };
    });
    // 2. report as witness: another reporter's account (with its words) naming the person, and their MG11
    const other = await postIncident(
      api,
      p.tokens.store_manager,
      buildIncidentRequest({
        narrative: `Reporter's account ${third.words}`,
        witnesses: [{ name, kind: 'staff' }],
      }),
    );
    // the witness place holds two records: the report naming them and their statement
    await plant('report as witness', 'reportsAsWitness', async () => ({
      status: other.status,
      id: other.body.id,
    }));
    await plant('report as witness', 'witnessStatements', async () => {
      const r = await postStatement(
        api,
        p.tokens.store_manager,
        other.body.id,
        statementBody(name, third.reader),
      );
      return { status: r.status, id: r.body.id };
    });
    // 3. an alert they raised (to the partnership channel, as a shop may when its partnership allows)
    await plant('alert', 'alerts', async () => {
      const a = await api.db.owner.transaction((em) =>
        raiseAlert(
          em,
          {
            partnershipId: p.partnershipId,
            actorId: person.id,
            actorKind: 'user',
            storeId: p.storeIds[0],
            requestId: 'p2-plant',
          },
          {
            type: AlertType.Information,
            message: 'Man with a bag of steak',
            target: { kind: AlertTarget.Partnership },
          },
        ),
      );
      return { status: 201, id: a.id };
    });
    // 4. evidence metadata: a still they produced (inserted as the owner: the metadata is what counts)
    await plant('evidence metadata', 'evidence', async () => ({
      status: 201,
      id: await seedExhibit(api, p.partnershipId, victimIncident, person.id, name),
    }));
    // 5. the access log: the collect row of their report
    await plant('access log', 'accessLog', async () => {
      const [row] = await api.db.owner.query(
        `SELECT id FROM access_log WHERE object_id = $1 AND action = 'collect'`,
        [victimIncident],
      );
      return { status: row ? 200 : 404, id: row?.id };
    });
    // 6. a subject (a third party) linked to their report
    await plant('subject link', 'subjectLinks', async () => {
      const s = await api.http.post(
        '/api/v1/subjects',
        buildSubjectRequest({ name: `Subject ${third.subject}` }),
        p.tokens.coordinator,
      );
      const r = await api.http.post(
        `/api/v1/subjects/${s.body.id}/incidents`,
        { incidentId: victimIncident },
        p.tokens.coordinator,
      );
      const [link] = await api.db.owner.query(
        `SELECT id FROM subject_incidents WHERE subject_id = $1 AND incident_id = $2`,
        [s.body.id, victimIncident],
      );
      return { status: r.status, id: link?.id };
    });
    // 7. a case message to the victim (plain words), written by an officer (a third party)
    await plant('case message', 'caseMessages', async () => {
      const { identifiers } = await api.db.owner.manager.insert(PoliceCase, {
        partnershipId: p.partnershipId,
        reference: `C-${randomBytes(4).toString('hex').toUpperCase()}`,
        status: CaseStatus.New,
        origin: CaseOrigin.Incident,
        title: 'Theft and abuse',
        openedBy: p.users.police.id,
      });
      const caseId = identifiers[0].id as string;
      await api.db.owner.manager.insert(CaseIncident, {
        partnershipId: p.partnershipId,
        caseId,
        incidentId: victimIncident,
      });
      const h = await api.db.owner.manager.insert(CaseHistoryEntry, {
        partnershipId: p.partnershipId,
        caseId,
        kind: 'update',
        fromStatus: null,
        toStatus: CaseStatus.New,
        reason: 'update',
        plainWords: 'We have identified a suspect and will be in touch.',
        changedBy: p.users.police.id,
        changedByKind: 'user',
      });
      return { status: 201, id: h.identifiers[0].id as string };
    });

    const sar = await history.run({ op: randomUUID(), client: 'coordinator', kind: 'subject-access' }, () =>
      api.http.post('/api/v1/privacy/subject-access', { email: person.email }, p.tokens.coordinator),
    );

    // the checker: planted ids from the history on disk, the export as the coordinator received it
    const entries = readHistory(history.file);
    const planted: PlantedPlace[] = entries
      .filter((e) => e.kind === 'plant')
      .map((e) => ({
        place: String(e.value?.place),
        section: String(e.value?.section),
        id: String(e.value?.id),
      }));
    const plantFailures = entries.filter((e) => e.kind === 'plant' && e.outcome !== 'ok').length;
    const canaries = [
      ...Object.values(third),
      p.users.police.id,
      p.users.store_manager.id,
      p.users.coordinator.id,
    ];
    const sarCounts = checkSubjectAccess(planted, sar!.body, canaries);
    const [{ n: disclosures }] = await api.db.owner.query(
      `SELECT count(*)::int AS n FROM access_log WHERE partnership_id = $1 AND action = 'disclose' AND object_type = 'subject_access' AND object_id = $2`,
      [p.partnershipId, person.id],
    );

    // control: the same request to this api built with one table left out of the export
    // (TEST_DEFECTS=sar-skips-subject-links) must show 6/7
    const broken = await startApiOn(
      testConfig(api.db.name, { TEST_DEFECTS: 'sar-skips-subject-links' }),
      api.db.owner,
      api.db.name,
    );
    const controlHistory = new History(`${ID}-control-sar-skips-subject-links`);
    try {
      await controlHistory.run(
        { op: randomUUID(), client: 'coordinator', kind: 'subject-access' },
        () =>
          broken.http.post('/api/v1/privacy/subject-access', { email: person.email }, p.tokens.coordinator),
        (r) => ({ sections: r.body?.sections }),
      );
    } finally {
      await broken.close();
    }
    const [partial] = readHistory(controlHistory.file);
    const ctl = checkSubjectAccess(
      planted,
      { sections: (partial.value?.sections ?? {}) as Record<string, Record<string, unknown>[]> },
      canaries,
    );
    controls.push({
      variant: 'the export with one table left out (TEST_DEFECTS=sar-skips-subject-links: subject_incidents)',
      counts: { status: partial.status ?? 0, found: ctl.found, places: ctl.places },
      // 6/7 when the real export is 7/7: exactly one place more missing, the subject link
      caught:
        partial.status === 200 &&
        ctl.missing === sarCounts.missing + 1 &&
        ctl.missingPlaces.includes('subject link') &&
        !sarCounts.missingPlaces.includes('subject link'),
    });
    // control: a redaction removed (the reporter's narrative exported to the witness)
    const leaky = {
      sections: {
        ...sar!.body.sections,
        reportsAsWitness: [{ narrative: `Reporter's account ${third.words}` }],
      },
    };
    const ctl2 = checkSubjectAccess([], leaky, canaries);
    controls.push({
      variant: 'third-party narrative left unredacted',
      counts: { thirdPartyLeaks: ctl2.thirdPartyLeaks },
      caught: ctl2.thirdPartyLeaks > 0,
    });

    Object.assign(counts, {
      sarStatus: sar?.status ?? 0,
      plantFailures,
      places: sarCounts.places,
      found: sarCounts.found,
      missing: sarCounts.missing,
      thirdPartyLeaks: sarCounts.thirdPartyLeaks,
      disclosuresLogged: disclosures,
    });
    expect({ ...counts, missingPlaces: sarCounts.missingPlaces }).toEqual({
      sarStatus: 200,
      plantFailures: 0,
      places: 7,
      found: 7,
      missing: 0,
      thirdPartyLeaks: 0,
      disclosuresLogged: 1,
      missingPlaces: [],
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
  });

  it('retention by the injected clock erases what is due, keeps what is held, logs each erasure', async () => {
    const r = await givenPartnership(api);
    const config = api.db.config.retention;
    const n = scale(2, 10);
    const report = async () => {
      const res = await postIncident(api, r.tokens.shopworker, buildIncidentRequest());
      const id = res.body.id as string;
      await postStatement(api, r.tokens.shopworker, id, statementBody('Pat Witness'));
      await seedExhibit(api, r.partnershipId, id, r.users.shopworker.id, 'Pat Witness');
      return id;
    };
    const alert = async () =>
      (
        await api.http.post(
          '/api/v1/alerts',
          { type: 'information', message: 'Watch for a grey hoodie', target: { kind: 'partnership' } },
          r.tokens.coordinator,
        )
      ).body.id as string;
    const incidents = await Promise.all(Array.from({ length: n + 2 }, report));
    const alerts: string[] = [];
    for (let i = 0; i < n + 2; i++) {
      alerts.push(await alert());
    }

    // the injected clock: past the incident period (the longer), so everything made now is due
    const now = new Date(Date.now() + (Math.max(config.incidentDays, config.alertDays) + 1) * DAY);
    jest.spyOn(worker.get(Clock), 'now').mockImplementation(() => now);
    // one of each made "yesterday" by that clock: not yet due
    const notDue = [incidents[n + 1], alerts[n + 1]];
    await api.db.owner.query(`UPDATE incidents SET created_at = $2 WHERE id = $1`, [
      notDue[0],
      new Date(now.getTime() - DAY),
    ]);
    await api.db.owner.query(`UPDATE alerts SET created_at = $2 WHERE id = $1`, [
      notDue[1],
      new Date(now.getTime() - DAY),
    ]);
    // one of each on legal hold
    const held = [incidents[n], alerts[n]];
    await api.db.owner.query(
      `INSERT INTO legal_holds (partnership_id, object_type, object_id, reason) VALUES ($1, 'incident', $2, 'litigation'), ($1, 'alert', $3, 'litigation')`,
      [r.partnershipId, held[0], held[1]],
    );
    const due = [...incidents.slice(0, n), ...alerts.slice(0, n)];

    const processor = worker.get(RetentionProcessor);
    const first = await processor.handlers[JobName.ApplyRetention]({ requestId: 'p2-retention' });
    const second = await processor.handlers[JobName.ApplyRetention]({ requestId: 'p2-retention-again' });

    const readState = async () => {
      const rows: { id: string }[] = await api.db.owner.query(
        `SELECT id FROM incidents WHERE partnership_id = $1 UNION ALL SELECT id FROM alerts WHERE partnership_id = $1`,
        [r.partnershipId],
      );
      const erase: { object_id: string; n: number }[] = await api.db.owner.query(
        `SELECT object_id, count(*)::int AS n FROM access_log WHERE partnership_id = $1 AND action = 'erase' GROUP BY 1`,
        [r.partnershipId],
      );
      return {
        due,
        held,
        notDue,
        present: new Set(rows.map((x) => x.id)),
        eraseRows: new Map(erase.map((e) => [e.object_id, e.n])),
      };
    };
    const state = await readState();
    const retention = checkRetention(state);
    const [{ leftovers }] = await api.db.owner.query(
      `SELECT (SELECT count(*) FROM witness_statements WHERE incident_id = ANY($1::uuid[]))::int
            + (SELECT count(*) FROM exhibits WHERE incident_id = ANY($1::uuid[]))::int
            + (SELECT count(*) FROM alert_acks WHERE alert_id = ANY($2::uuid[]))::int AS leftovers`,
      [incidents.slice(0, n), alerts.slice(0, n)],
    );
    const [{ chain }] = await api.db.owner.query(
      `SELECT count(*)::int AS chain FROM access_log WHERE partnership_id = $1`,
      [r.partnershipId],
    );

    // controls: a hold ignored (the held alert deleted by the owner); an erasure without its log row
    const broken = checkRetention({
      ...state,
      present: new Set([...state.present].filter((id) => id !== held[1])),
    });
    controls.push({
      variant: 'a record on legal hold erased',
      counts: { heldErased: broken.heldErased },
      caught: broken.heldErased === 1,
    });
    const unlogged = new Map(state.eraseRows);
    unlogged.delete(due[0]);
    const broken2 = checkRetention({ ...state, eraseRows: unlogged });
    controls.push({
      variant: 'an erasure without its erase row',
      counts: { erasuresNotLoggedOnce: broken2.erasuresNotLoggedOnce },
      caught: broken2.erasuresNotLoggedOnce === 1,
    });

    Object.assign(counts, {
      ...retention,
      dependentsLeft: leftovers,
      erasedFirstRun: Number(first.erased),
      erasedInThisPartnership: state.eraseRows.size,
      erasedSecondRun: Number(second.erased),
      heldSkipped: Number(first.held),
      accessLogRows: chain,
    });
    const passed =
      counts.found === 7 &&
      counts.thirdPartyLeaks === 0 &&
      counts.disclosuresLogged === 1 &&
      retention.expiredRemaining === 0 &&
      retention.heldErased === 0 &&
      retention.notDueErased === 0 &&
      retention.erasuresNotLoggedOnce === 0 &&
      leftovers === 0 &&
      Number(second.erased) === 0 &&
      controls.every((c) => c.caught);
    recordResult({
      id: ID,
      title: 'Subject access export and retention with an injected clock',
      seed: SEED,
      counts,
      passFigure:
        'SAR completeness 7/7, third parties redacted; expired rows 0 except the held one; every erasure logged as erase',
      passed,
      negativeControls: controls,
      config: { retention: config, duePerKind: n, clock: now.toISOString() },
      historyFile: sarHistoryFile,
      notes: ['retention handler called in-process on a worker application context whose Clock is replaced'],
      startedAt: started,
    });
    expect(retention).toEqual({
      due: 2 * n,
      expiredRemaining: 0,
      heldErased: 0,
      notDueErased: 0,
      erasuresNotLoggedOnce: 0,
    });
    // the first run also erases what the other test made (the clock is years ahead); the second finds nothing
    expect({ leftovers, second: second.erased, loggedHere: state.eraseRows.size }).toEqual({
      leftovers: 0,
      second: 0,
      loggedHere: 2 * n,
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
  });
});
