import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AlertTarget, AlertType, raiseAlert } from '@app/alerts';
import { Jurisdiction } from '@app/partnerships';
import { SerialFlag, SerialFlagState, type SerialFlagRule } from './entities/serial-flag.entity';
import {
  type Candidate,
  crossingPrefix,
  DAY_MS,
  DEFAULT_SERIAL_SETTINGS,
  type LegalContext,
  legalConsequence,
  pounds,
  type SerialSettings,
} from './serial-rule';
import { namedQuery, SystemDb, TenantDb } from '@app/database';

/** The talk group (no stores: only the staff room hears it) that receives serial-offender flags. */
export const OFFENDER_TALK_GROUP = 'Offender intelligence (coordinators)';
const SYSTEM_ACTOR = '00000000-0000-0000-0000-000000000000';

/** The window's length as an interval of hours (whole 24-hour days, as latestWindow counts them). */
const windowInterval = (s: SerialSettings): string => `${s.windowDays * 24} hours`;

/** One subject's detection (see detectSubject). */
const DETECT_SUBJECT = `SELECT occurred_at AS window_to, n::int AS n, total::text AS total
           FROM (SELECT occurred_at,
                        count(*) OVER w AS n,
                        sum(value_pence) OVER w AS total
                   FROM subject_incidents
                  WHERE partnership_id = $1 AND subject_id = $2
                    AND theft_shop AND counted AND value_pence > 0
                    AND value_pence <= $3
                 WINDOW w AS (ORDER BY occurred_at DESC RANGE BETWEEN CURRENT ROW AND $4::interval FOLLOWING)) c
          WHERE n >= $5 AND total > $3
          ORDER BY occurred_at DESC
          LIMIT 1`;

export interface Detection {
  subjectId: string;
  windowTo: Date;
  count: number;
  total: number;
}

export interface RefreshResult {
  aggregateVersion: number;
  flag: 'none' | 'created' | 'updated' | 'withdrawn' | 'covered';
  flagId: string | null;
}

interface RuleRow {
  id: string;
  key: string;
  value: unknown;
  effective_from: string | null;
  effective_to: string | null;
}

/**
 * The aggregation and detection effects. Every job recomputes one subject from committed rows
 * under that subject's aggregate-row lock, so a redelivered or concurrent job changes nothing twice
 * and loses nothing; the open-flag unique index makes "one alert per new flag" a database fact.
 */
@Injectable()
export class SerialOffenderRepository {
  constructor(
    private readonly db: TenantDb,
    private readonly system: SystemDb,
  ) {}

  /** Partnership settings (defaults when unset). */
  async settings(em: EntityManager, partnershipId: string): Promise<SerialSettings> {
    const rows: { threshold_pence: number; window_days: number; min_incidents: number }[] = await em.query(
      `SELECT threshold_pence, window_days, min_incidents FROM offender_settings WHERE partnership_id = $1`,
      [partnershipId],
    );
    return rows[0]
      ? {
          thresholdPence: rows[0].threshold_pence,
          windowDays: rows[0].window_days,
          minIncidents: rows[0].min_incidents,
        }
      : { ...DEFAULT_SERIAL_SETTINGS };
  }

  /**
   * What a refresh applies, in one round trip: the partnership's settings (defaults when unset),
   * its jurisdiction and that jurisdiction's legal rules.
   */
  private async ruleContext(
    em: EntityManager,
    partnershipId: string,
  ): Promise<{ settings: SerialSettings; ctx: LegalContext; rules: RuleRow[] }> {
    const [row]: {
      jurisdiction: Jurisdiction;
      threshold_pence: number | null;
      window_days: number | null;
      min_incidents: number | null;
      rules: RuleRow[];
    }[] = await em.query(
      `SELECT p.jurisdiction, s.threshold_pence, s.window_days, s.min_incidents,
              coalesce((SELECT json_agg(json_build_object('id', r.id, 'key', r.key, 'value', r.value,
                                                          'effective_from', r.effective_from::text,
                                                          'effective_to', r.effective_to::text))
                          FROM legal_rules r WHERE r.jurisdiction = p.jurisdiction), '[]'::json) AS rules
         FROM partnerships p LEFT JOIN offender_settings s ON s.partnership_id = p.id
        WHERE p.id = $1`,
      [partnershipId],
    );
    const { jurisdiction, rules } = row;
    const settings: SerialSettings =
      row.threshold_pence !== null && row.window_days !== null && row.min_incidents !== null
        ? {
            thresholdPence: row.threshold_pence,
            windowDays: row.window_days,
            minIncidents: row.min_incidents,
          }
        : { ...DEFAULT_SERIAL_SETTINGS };
    const s22a = rules.find((r) => r.key === 's22a.threshold_pence');
    const repeal = rules.find((r) => r.key === 's22a.repeal');
    return {
      settings,
      ctx: {
        jurisdiction,
        s22aThresholdPence: s22a && typeof s22a.value === 'number' && s22a.effective_from ? s22a.value : null,
        repealCommencesOn: repeal?.effective_from ?? null,
      },
      rules,
    };
  }

  /**
   * Full detection for a partnership (or one subject). Candidates are submitted theft_shop acts
   * valued at 1p..threshold; a window is [t - W, t] for each candidate's t (peers at t included); a
   * subject qualifies when some window holds at least N candidates totalling more than the
   * threshold. Returns the latest such window per subject.
   *
   * One pass of a sliding-window aggregate over subject_incidents_candidates_idx, whose order
   * (subject, occurred_at DESC) is the window's and the result's: an index-only range scan, no
   * sort, no self-join. Latest first, the window [t - W, t] of each t is CURRENT ROW (with its
   * peers at t) AND W FOLLOWING.
   */
  async detect(
    em: EntityManager,
    partnershipId: string,
    s: SerialSettings,
    subjectId: string | null = null,
  ): Promise<Detection[]> {
    if (subjectId !== null) {
      const hit = await this.detectSubject(em, partnershipId, s, subjectId);
      return hit ? [hit] : [];
    }
    // The index hands the window its rows in order on one core. In a system transaction the RLS
    // policy's current_setting('app.system') = 'on' arm is estimated at 0.5% of the rows, so the
    // planner expects a tiny sort and picks a parallel seq scan with an external-merge sort of every
    // candidate (600k links: 630-700 ms against 410 ms). Serial for this statement, then as it was.
    const [{ prev }]: { prev: string }[] = await em.query(
      `SELECT current_setting('max_parallel_workers_per_gather') AS prev,
              set_config('max_parallel_workers_per_gather', '0', true)`,
    );
    const rows: { subject_id: string; window_to: Date; n: number; total: string }[] = await em.query(
      `SELECT DISTINCT ON (subject_id) subject_id, occurred_at AS window_to, n::int AS n, total::text AS total
         FROM (SELECT subject_id, occurred_at,
                      count(*) OVER w AS n,
                      sum(value_pence) OVER w AS total
                 FROM subject_incidents
                WHERE partnership_id = $1
                  AND theft_shop AND counted AND value_pence > 0
                  AND value_pence <= $2
               WINDOW w AS (PARTITION BY subject_id ORDER BY occurred_at DESC
                            RANGE BETWEEN CURRENT ROW AND $3::interval FOLLOWING)) c
        WHERE n >= $4 AND total > $2
        ORDER BY subject_id, occurred_at DESC`,
      [partnershipId, s.thresholdPence, windowInterval(s), s.minIncidents],
    );
    await em.query(`SELECT set_config('max_parallel_workers_per_gather', $1, true)`, [prev]);
    return rows.map((r) => ({
      subjectId: r.subject_id,
      windowTo: r.window_to,
      count: r.n,
      total: Number(r.total),
    }));
  }

  /**
   * One subject's check (what every refresh runs): the same window over that subject's range of the
   * candidates index, as a named prepared statement on the transaction's connection (pg parses it
   * once per connection), so after its first use it is one Bind/Execute round trip with no parse or
   * plan. Its only plan (generic or custom) is the index range scan: no parameter decides which
   * index or branch applies.
   */
  private async detectSubject(
    em: EntityManager,
    partnershipId: string,
    s: SerialSettings,
    subjectId: string,
  ): Promise<Detection | null> {
    const values = [partnershipId, subjectId, s.thresholdPence, windowInterval(s), s.minIncidents];
    const rows = await namedQuery<{ window_to: Date; n: number; total: string }>(em, DETECT_SUBJECT, values);
    return rows[0]
      ? { subjectId, windowTo: rows[0].window_to, count: rows[0].n, total: Number(rows[0].total) }
      : null;
  }

  /**
   * Recomputes one subject: copies its linked incidents' facts (and the retail-worker rule), its
   * aggregates, and its serial flag, raising a radio alert for a new flag. Idempotent.
   */
  refreshSubject(partnershipId: string, subjectId: string, requestId: string): Promise<RefreshResult | null> {
    return this.db.run({ partnershipId }, (em) => this.refreshIn(em, partnershipId, subjectId, requestId));
  }

  private async refreshIn(
    em: EntityManager,
    partnershipId: string,
    subjectId: string,
    requestId: string,
  ): Promise<RefreshResult | null> {
    const subject: { reference: string }[] = await em.query(
      `SELECT reference FROM subjects WHERE id = $1 AND partnership_id = $2`,
      [subjectId, partnershipId],
    );
    if (!subject.length) {
      return null;
    }
    // The subject's lock: every refresh of this subject runs one at a time.
    await em.query(
      `INSERT INTO subject_aggregates (subject_id, partnership_id) VALUES ($1, $2) ON CONFLICT (subject_id) DO NOTHING`,
      [subjectId, partnershipId],
    );
    await em.query(`SELECT 1 FROM subject_aggregates WHERE subject_id = $1 FOR UPDATE`, [subjectId]);

    const { settings, ctx, rules } = await this.ruleContext(em, partnershipId);
    const offence = rules.find((r) => r.key === 'retail_worker_offence');
    const offenceActs =
      offence?.effective_from && offence.value && Array.isArray((offence.value as { acts?: unknown }).acts)
        ? (offence.value as { acts: string[] }).acts
        : [];

    await em.query(
      `UPDATE subject_incidents si
          SET occurred_at = i.occurred_at,
              store_id = i.store_id,
              value_pence = i.value_pence,
              theft_shop = 'theft_shop' = ANY(i.types),
              counted = i.status <> 'draft',
              violence = i.types && ARRAY['violence_injury', 'violence_no_injury', 'robbery']::incident_type[]
                         OR i.injury <> 'none',
              retail_worker_offence = cardinality($2::text[]) > 0
                         AND i.types && $2::text[]::incident_type[]
                         AND (i.occurred_at AT TIME ZONE 'Europe/London')::date >= $3::date
                         AND ($4::date IS NULL OR (i.occurred_at AT TIME ZONE 'Europe/London')::date < $4::date)
         FROM incidents i
        WHERE si.subject_id = $1 AND i.id = si.incident_id`,
      [subjectId, offenceActs, offence?.effective_from ?? '9999-12-31', offence?.effective_to ?? null],
    );

    const [agg]: { version: number }[] = await em.query(
      `UPDATE subject_aggregates a
          SET incident_count = x.n, total_value_pence = x.total, store_ids = x.stores,
              first_seen_at = x.first_seen, last_seen_at = x.last_seen, violence = x.violence,
              retail_worker_offences = x.rwo, version = a.version + 1, computed_at = now()
         FROM (SELECT count(*)::int AS n,
                      coalesce(sum(value_pence), 0) AS total,
                      coalesce(array_agg(DISTINCT store_id), '{}') AS stores,
                      min(occurred_at) AS first_seen, max(occurred_at) AS last_seen,
                      coalesce(bool_or(violence), false) AS violence,
                      count(*) FILTER (WHERE retail_worker_offence)::int AS rwo
                 FROM subject_incidents WHERE subject_id = $1 AND counted) x
        WHERE a.subject_id = $1
        RETURNING a.version`,
      [subjectId],
    );
    const flag = await this.reflag(
      em,
      partnershipId,
      subjectId,
      subject[0].reference,
      settings,
      ctx,
      rules,
      requestId,
    );
    return { aggregateVersion: agg.version, ...flag };
  }

  private async reflag(
    em: EntityManager,
    partnershipId: string,
    subjectId: string,
    reference: string,
    s: SerialSettings,
    ctx: LegalContext,
    rules: RuleRow[],
    requestId: string,
  ): Promise<Pick<RefreshResult, 'flag' | 'flagId'>> {
    const open = await em.findOne(SerialFlag, {
      where: [
        { subjectId, state: SerialFlagState.New },
        { subjectId, state: SerialFlagState.Reviewed },
      ],
    });
    const [hit] = await this.detect(em, partnershipId, s, subjectId);
    if (!hit) {
      if (!open) {
        return { flag: 'none', flagId: null };
      }
      await em.update(
        SerialFlag,
        { id: open.id },
        {
          state: SerialFlagState.Withdrawn,
          decidedAt: () => 'now()',
          decisionNote: 'Withdrawn by the system: the linked incidents no longer meet the rule',
        },
      );
      return { flag: 'withdrawn', flagId: open.id };
    }

    const windowTo = hit.windowTo;
    const windowFrom = new Date(windowTo.getTime() - s.windowDays * DAY_MS);
    const rows: { incident_id: string; occurred_at: Date; value_pence: string; store_id: string }[] =
      await em.query(
        `SELECT incident_id, occurred_at, value_pence::text, store_id FROM subject_incidents
          WHERE subject_id = $1 AND theft_shop AND counted AND value_pence > 0
            AND occurred_at >= $2 AND occurred_at <= $3
          ORDER BY occurred_at, incident_id`,
        [subjectId, windowFrom, windowTo],
      );
    const all: Candidate[] = rows.map((r) => ({
      incidentId: r.incident_id,
      occurredAt: r.occurred_at,
      valuePence: Number(r.value_pence),
      storeId: r.store_id,
    }));
    const bundle = all.filter((c) => c.valuePence <= s.thresholdPence);
    const over = all.filter((c) => c.valuePence > s.thresholdPence).map((c) => c.incidentId);
    const total = bundle.reduce((sum, c) => sum + c.valuePence, 0);
    const crossing = crossingPrefix(bundle, s.thresholdPence);
    const legal = legalConsequence(ctx, bundle, total, s);
    const rule: SerialFlagRule = {
      jurisdiction: ctx.jurisdiction,
      thresholdPence: s.thresholdPence,
      windowDays: s.windowDays,
      minIncidents: s.minIncidents,
      s22aRuleId: rules.find((r) => r.key === 's22a.threshold_pence')?.id ?? null,
      repealCommencesOn: ctx.repealCommencesOn,
    };
    const fields = {
      incidentIds: bundle.map((c) => c.incidentId),
      totalPence: String(total),
      crossingIncidentIds: crossing.ids,
      crossingTotalPence: String(crossing.total),
      overThresholdIncidentIds: over,
      storeIds: [...new Set(bundle.map((c) => c.storeId))],
      windowFrom,
      windowTo,
      thresholdApplies: legal.thresholdApplies,
      legalConsequence: legal.text,
      rule,
    };
    if (open) {
      await em.update(SerialFlag, { id: open.id }, fields);
      return { flag: 'updated', flagId: open.id };
    }
    // A bundle already decided (dismissed or made a case) does not flag again until a new theft joins.
    const [{ covered }]: { covered: boolean }[] = await em.query(
      `SELECT NOT EXISTS (
                SELECT 1 FROM unnest($2::uuid[]) x
                 WHERE NOT EXISTS (SELECT 1 FROM serial_flags f
                                    WHERE f.subject_id = $1 AND f.state IN ('dismissed', 'case_opened')
                                      AND x = ANY(f.incident_ids))) AS covered`,
      [subjectId, fields.incidentIds],
    );
    if (covered) {
      return { flag: 'covered', flagId: null };
    }
    const inserted: { id: string }[] = await em.query(
      `INSERT INTO serial_flags (partnership_id, subject_id, state, incident_ids, total_pence, crossing_incident_ids,
                                 crossing_total_pence, over_threshold_incident_ids, store_ids, window_from, window_to,
                                 threshold_applies, legal_consequence, rule)
       VALUES ($1, $2, 'new', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (subject_id) WHERE state IN ('new', 'reviewed') DO NOTHING
       RETURNING id`,
      [
        partnershipId,
        subjectId,
        fields.incidentIds,
        fields.totalPence,
        fields.crossingIncidentIds,
        fields.crossingTotalPence,
        fields.overThresholdIncidentIds,
        fields.storeIds,
        windowFrom,
        windowTo,
        fields.thresholdApplies,
        fields.legalConsequence,
        JSON.stringify(rule),
      ],
    );
    if (!inserted.length) {
      return { flag: 'covered', flagId: null };
    }
    const flagId = inserted[0].id;
    const talkGroupId = await this.offenderTalkGroup(em, partnershipId);
    const alert = await raiseAlert(
      em,
      { partnershipId, actorId: null, actorKind: 'system', storeId: null, requestId },
      {
        type: AlertType.Information,
        message:
          `Serial low-value theft flag: subject ${reference}, ${bundle.length} thefts each ${pounds(s.thresholdPence)} or under, ` +
          `totalling ${pounds(total)} within ${s.windowDays} days. ` +
          (legal.thresholdApplies
            ? 'Charged together they are not low-value shoplifting.'
            : 'The s.22A threshold does not apply to all of them.') +
          ' Review it in offender intelligence.',
        offenderProfileId: subjectId,
        target: { kind: AlertTarget.TalkGroup, talkGroupId },
      },
    );
    await em.update(SerialFlag, { id: flagId }, { alertId: alert.id });
    return { flag: 'created', flagId };
  }

  private async offenderTalkGroup(em: EntityManager, partnershipId: string): Promise<string> {
    await em.query(
      `INSERT INTO talk_groups (partnership_id, name, created_by) VALUES ($1, $2, $3)
       ON CONFLICT (partnership_id, name) DO NOTHING`,
      [partnershipId, OFFENDER_TALK_GROUP, SYSTEM_ACTOR],
    );
    const [{ id }]: { id: string }[] = await em.query(
      `SELECT id FROM talk_groups WHERE partnership_id = $1 AND name = $2`,
      [partnershipId, OFFENDER_TALK_GROUP],
    );
    return id;
  }

  /**
   * Recomputes every subject's aggregates and flag, one short transaction per subject (keyset
   * batches, no table locks), so reporting carries on. Returns how many subjects were done.
   */
  async rebuild(onProgress?: (done: number) => void): Promise<{ subjects: number; flagsCreated: number }> {
    let after = '00000000-0000-0000-0000-000000000000';
    let subjects = 0;
    let flagsCreated = 0;
    for (;;) {
      const batch: { id: string; partnership_id: string }[] = await this.system.run((em) =>
        em.query(`SELECT id, partnership_id FROM subjects WHERE id > $1 ORDER BY id LIMIT 500`, [after]),
      );
      if (!batch.length) {
        return { subjects, flagsCreated };
      }
      for (const s of batch) {
        const r = await this.refreshSubject(s.partnership_id, s.id, 'offenders-rebuild');
        subjects++;
        if (r?.flag === 'created') {
          flagsCreated++;
        }
      }
      after = batch[batch.length - 1].id;
      onProgress?.(subjects);
    }
  }
}
