import { Jurisdiction } from '@app/partnerships';

/** A candidate theft: theft_shop, submitted, valued, at or under the threshold. */
export interface Candidate {
  incidentId: string;
  occurredAt: Date;
  valuePence: number;
  storeId: string;
}

export interface SerialSettings {
  thresholdPence: number;
  windowDays: number;
  minIncidents: number;
}

export const DEFAULT_SERIAL_SETTINGS: SerialSettings = {
  thresholdPence: 20000,
  windowDays: 90,
  minIncidents: 3,
};

export const DAY_MS = 24 * 3600 * 1000;

/**
 * The smallest oldest-first prefix of a bundle (oldest first) whose total exceeds the threshold:
 * the thefts that, charged together, take the series out of low-value shoplifting.
 */
export function crossingPrefix(
  bundle: Candidate[],
  thresholdPence: number,
): { ids: string[]; total: number } {
  let total = 0;
  const ids: string[] = [];
  for (const c of bundle) {
    total += c.valuePence;
    ids.push(c.incidentId);
    if (total > thresholdPence) {
      return { ids, total };
    }
  }
  return { ids: [], total: 0 };
}

/**
 * The latest window [end - W, end] (closed, W in whole 24-hour days) holding at least N candidates
 * whose total exceeds the threshold, or null. Mirrors the detection query, for one subject.
 */
export function latestWindow(
  candidates: Candidate[],
  s: SerialSettings,
): { from: Date; to: Date; bundle: Candidate[] } | null {
  const sorted = [...candidates].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (let end = sorted.length - 1; end >= 0; end--) {
    const to = sorted[end].occurredAt;
    const from = new Date(to.getTime() - s.windowDays * DAY_MS);
    // peers at the same instant belong to the window too
    const bundle = sorted.filter((c) => c.occurredAt >= from && c.occurredAt <= to);
    const total = bundle.reduce((sum, c) => sum + c.valuePence, 0);
    if (bundle.length >= s.minIncidents && total > s.thresholdPence) {
      return { from, to, bundle };
    }
  }
  return null;
}

export function pounds(pence: number): string {
  return `£${(pence / 100).toFixed(2)}`;
}

export interface LegalContext {
  jurisdiction: Jurisdiction;
  /** s.22A's threshold for the jurisdiction (null: no such rule there) */
  s22aThresholdPence: number | null;
  /** the commencement of s.22A's repeal (YYYY-MM-DD), null while not set */
  repealCommencesOn: string | null;
}

// Built once: constructing an Intl.DateTimeFormat costs about a millisecond.
const LONDON_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The London calendar day (YYYY-MM-DD) of an instant (offence dates are calendar days). */
export function londonDate(at: Date): string {
  return LONDON_DAY.format(at);
}

/** Whether s.22A's threshold applies to an offence on this date (the repeal never reaches earlier conduct). */
export function s22aApplies(ctx: LegalContext, occurredAt: Date): boolean {
  if (ctx.s22aThresholdPence === null) {
    return false;
  }
  return ctx.repealCommencesOn === null || londonDate(occurredAt) < ctx.repealCommencesOn;
}

/** The legal consequence of a flagged bundle, in plain words. */
export function legalConsequence(
  ctx: LegalContext,
  bundle: Candidate[],
  total: number,
  s: SerialSettings,
): { thresholdApplies: boolean; text: string } {
  const n = bundle.length;
  const series = `${n} shop thefts, each ${pounds(s.thresholdPence)} or under, totalling ${pounds(total)} within ${s.windowDays} days.`;
  const decides = 'The hub recommends; the police and the CPS charge; the court classifies.';
  if (ctx.s22aThresholdPence === null) {
    const where = ctx.jurisdiction === Jurisdiction.Scotland ? 'Scotland' : 'Northern Ireland';
    return {
      thresholdApplies: false,
      text: `Prolific low-value series: ${series} The s.22A low-value shoplifting threshold does not apply in ${where}; the series is for triage and any order the prosecutor may seek. ${decides}`,
    };
  }
  const before = bundle.filter((c) => s22aApplies(ctx, c.occurredAt));
  if (before.length === n) {
    const t = pounds(ctx.s22aThresholdPence);
    return {
      thresholdApplies: true,
      text:
        `${series} Charged singly, each is low-value shoplifting under s.22A Magistrates' Courts Act 1980 (summary only). ` +
        `Charged together on the same occasion, the values aggregate: the total is over ${t}, so none of them is low-value shoplifting and each is ordinary either-way theft ` +
        `(magistrates decide allocation and may commit for sentence; Crown Court trial possible, 7 years maximum). ${decides}`,
    };
  }
  const after = n - before.length;
  const earlier =
    before.length > 0
      ? ` ${before.length} of them predate the repeal: s.22A still applies to those, and charged together their values aggregate.`
      : '';
  return {
    thresholdApplies: false,
    text:
      `Prolific low-value series: ${series} The s.22A low-value threshold no longer applies to the ${after} offence(s) dated from ${ctx.repealCommencesOn} ` +
      `(repealed by the Crime and Policing Act 2026): every shop theft is triable either way whatever its value.${earlier} ` +
      `The series remains relevant for triage and a Criminal Behaviour Order. ${decides}`,
  };
}
