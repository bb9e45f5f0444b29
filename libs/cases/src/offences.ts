import { londonDate, pounds } from '@app/offenders';

/**
 * The law a case summary suggests and applies, as pure rules over the case's acts and the
 * jurisdiction's legal rules (rows, effective-dated). The police and the CPS charge; the court
 * classifies: every line here is a suggestion with the facts and the rule it rests on.
 */

/** A legal rule as stored (`legal_rules`): applies to conduct from `effective_from`; null: not commenced. */
export interface LegalRuleData {
  key: string;
  source: string;
  effective_from: string | null;
  key_date: string;
  value: unknown;
}

/** One act of a report: a row of the case summary's schedule. */
export interface ScheduledAct {
  /** the schedule row (1-based) */
  row: number;
  incidentId: string;
  occurredAt: Date;
  type: string;
  injury: string;
  /** for shop thefts: the goods' value at the offered price */
  valuePence: number;
}

export interface SuggestedOffence {
  title: string;
  provision: string;
  basis: string;
  /** London calendar days (YYYY-MM-DD), oldest first */
  dates: string[];
  rows: number[];
  /** the rules that bear on it, with their dates */
  law: string[];
}

export interface AppliedRule {
  key: string;
  title: string;
  source: string;
  /** YYYY-MM-DD; null while not commenced */
  effectiveFrom: string | null;
  keyDate: string;
  appliedAs: string;
}

export const THEFT_SHOP = 'theft_shop';
const VIOLENCE = new Set(['violence_injury', 'violence_no_injury']);
/** Injuries beyond "transient or trifling" (ABH); none or minor is common assault. */
const ABH_INJURIES = new Set(['first_aid', 'medical', 'hospital']);

const OFFENCES: Record<string, { title: string; provision: string; basis: string }> = {
  theft_shop: {
    title: 'Theft from a shop',
    provision: 's.1 Theft Act 1968',
    basis: 'goods offered for sale taken without payment',
  },
  theft_other: { title: 'Theft', provision: 's.1 Theft Act 1968', basis: 'property taken' },
  robbery: {
    title: 'Robbery',
    provision: 's.8 Theft Act 1968',
    basis: 'force or threat of force used to steal',
  },
  threat: {
    title: 'Threatening behaviour',
    provision: 's.4 Public Order Act 1986',
    basis: 'threats made to staff',
  },
  verbal_abuse: {
    title: 'Harassment, alarm or distress',
    provision: 's.4A or s.5 Public Order Act 1986',
    basis: 'abusive words or behaviour',
  },
  hate_aggravated_abuse: {
    title: 'Racially or religiously aggravated public order offence',
    provision: 's.31 Crime and Disorder Act 1998',
    basis: 'hostility shown',
  },
  criminal_damage: {
    title: 'Criminal damage',
    provision: 's.1 Criminal Damage Act 1971',
    basis: 'property damaged',
  },
  fraud: { title: 'Fraud', provision: 's.1 Fraud Act 2006', basis: 'dishonest representation' },
};

/** The assault offence the recorded injury supports. */
function assault(injury: string): { title: string; provision: string; basis: string } {
  if (injury === 'life_changing') {
    return {
      title: 'Inflicting grievous bodily harm',
      provision: 's.20 Offences Against the Person Act 1861',
      basis: 'a life-changing injury recorded',
    };
  }
  if (ABH_INJURIES.has(injury)) {
    return {
      title: 'Assault occasioning actual bodily harm',
      provision: 's.47 Offences Against the Person Act 1861',
      basis: `an injury more than transient or trifling recorded (${injury.replace(/_/g, ' ')})`,
    };
  }
  return {
    title: 'Common assault',
    provision: 's.39 Criminal Justice Act 1988',
    basis:
      injury === 'minor'
        ? 'force used, a minor injury recorded'
        : 'force used or threatened, no injury recorded',
  };
}

const ukDay = (day: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));


/** In force for conduct on this London day: commenced on or before it. */
function inForce(rule: LegalRuleData | undefined, day: string): boolean {
  return !!rule?.effective_from && rule.effective_from <= day;
}

function since(rule: LegalRuleData): string {
  return rule.effective_from ? `in force from ${ukDay(rule.effective_from)}` : 'not commenced (no date set)';
}

function retailWorkerRule(
  rules: LegalRuleData[],
): { rule: LegalRuleData; offence: string; acts: string[] } | null {
  const rule = rules.find((r) => r.key === 'retail_worker_offence');
  const value = rule?.value as { offence?: string; acts?: string[] } | null | undefined;
  return rule && value?.offence ? { rule, offence: value.offence, acts: value.acts ?? [] } : null;
}

/** The offences the acts suggest, one line per offence with the dates and schedule rows it rests on. */
export function suggestOffences(acts: ScheduledAct[], rules: LegalRuleData[]): SuggestedOffence[] {
  const threshold = rules.find((r) => r.key === 's22a.threshold_pence');
  const repeal = rules.find((r) => r.key === 's22a.repeal');
  const retail = retailWorkerRule(rules);
  const byTitle = new Map<string, SuggestedOffence>();
  const add = (o: { title: string; provision: string; basis: string }, act: ScheduledAct, law: string[]) => {
    const key = `${o.title}|${o.basis}`;
    const found = byTitle.get(key) ?? { ...o, dates: [], rows: [], law };
    const day = londonDate(act.occurredAt);
    if (!found.dates.includes(day)) {
      found.dates.push(day);
    }
    found.rows.push(act.row);
    byTitle.set(key, found);
  };
  for (const act of acts) {
    if (VIOLENCE.has(act.type)) {
      add(assault(act.injury), act, []);
    } else if (OFFENCES[act.type]) {
      const law =
        act.type === THEFT_SHOP && threshold?.value !== null && threshold?.value !== undefined
          ? [
              `Low-value shoplifting (s.22A MCA 1980), ${since(threshold)}`,
              `Its repeal (Crime and Policing Act 2026), ${repeal ? since(repeal) : 'not recorded'}`,
            ]
          : [];
      add(OFFENCES[act.type], act, law);
    }
    const day = londonDate(act.occurredAt);
    if (retail?.acts.includes(act.type) && inForce(retail.rule, day)) {
      add(
        {
          title: capitalise(retail.offence),
          provision: retail.rule.source.split(':')[0],
          basis: 'the victim was working in a shop',
        },
        act,
        [`${capitalise(retail.offence)}, ${since(retail.rule)}; only for conduct on or after that date`],
      );
    }
  }
  return [...byTitle.values()];
}

/** Each rule of the jurisdiction in words: its date, and what it did (or did not do) to this case. */
export function rulesAsApplied(acts: ScheduledAct[], rules: LegalRuleData[]): AppliedRule[] {
  const thefts = acts.filter((a) => a.type === THEFT_SHOP);
  const repeal = rules.find((r) => r.key === 's22a.repeal');
  const repealed = (a: ScheduledAct) => inForce(repeal, londonDate(a.occurredAt));
  const retail = retailWorkerRule(rules);
  return rules.map((r) => {
    const base = {
      key: r.key,
      source: r.source,
      effectiveFrom: r.effective_from,
      keyDate: r.key_date.replace(/_/g, ' '),
    };
    switch (r.key) {
      case 's22a.threshold_pence': {
        if (r.value === null || r.value === undefined) {
          return {
            ...base,
            title: 'Low-value shoplifting threshold',
            appliedAs: 'No such rule in this jurisdiction.',
          };
        }
        const limit = Number(r.value);
        const governed = thefts.filter((a) => !repealed(a));
        const total = governed.reduce((s, a) => s + a.valuePence, 0);
        const later = thefts.length - governed.length;
        const after = later ? ` ${later} later theft(s) fall after its repeal.` : '';
        const appliedAs = !governed.length
          ? `Not applied: no shop theft here is governed by it.${after}`
          : governed.length === 1
            ? `Applied to the one shop theft on its own value, ${pounds(total)}: ${total > limit ? 'over' : 'at or under'} ${pounds(limit)}.${after}`
            : `Applied to ${governed.length} shop thefts totalling ${pounds(total)}: ${
                total > limit
                  ? `charged together on one occasion they exceed ${pounds(limit)}, so none is low-value shoplifting`
                  : `together they do not exceed ${pounds(limit)}`
              }.${after}`;
        return { ...base, title: `Low-value shoplifting threshold (${pounds(limit)})`, appliedAs };
      }
      case 's22a.repeal':
        return {
          ...base,
          title: 'Repeal of the low-value shoplifting rule (s.22A)',
          appliedAs: r.effective_from
            ? `Applies to ${thefts.filter(repealed).length} of ${thefts.length} shop thefts here (conduct on or after ${ukDay(r.effective_from)}).`
            : 'Not commenced: not applied; s.22A governs every shop theft here.',
        };
      case 'retail_worker_offence': {
        if (!retail) {
          return {
            ...base,
            title: 'Offence against retail workers',
            appliedAs: 'No such offence in this jurisdiction.',
          };
        }
        const matching = acts.filter((a) => retail.acts.includes(a.type));
        const suggested = matching.filter((a) => inForce(retail.rule, londonDate(a.occurredAt)));
        return {
          ...base,
          title: `Offence: ${retail.offence}`,
          appliedAs: r.effective_from
            ? `Suggested for ${suggested.length} of ${matching.length} act(s) here (conduct on or after ${ukDay(r.effective_from)}).`
            : 'Not commenced: not suggested for any act here.',
        };
      }
      default:
        return {
          ...base,
          title: capitalise(r.key.replace(/[._]/g, ' ')),
          appliedAs: 'Listed for the officer; not applied automatically.',
        };
    }
  });
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
