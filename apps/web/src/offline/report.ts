// A till report as the form holds it, and as the api wants it.
import type { ImpactStatementRequest, IncidentRequest, Witness } from '../api/types';
import { uuid } from './db';

export const INCIDENT_TYPES: [string, string][] = [
  ['theft_shop', 'Shoplifting'],
  ['robbery', 'Robbery'],
  ['violence_injury', 'Violence with injury'],
  ['violence_no_injury', 'Violence, no injury'],
  ['threat', 'Threats'],
  ['verbal_abuse', 'Verbal abuse'],
  ['hate_aggravated_abuse', 'Hate abuse'],
  ['sexual_harassment', 'Sexual harassment'],
  ['criminal_damage', 'Criminal damage'],
  ['fraud', 'Fraud'],
  ['asb', 'Anti-social behaviour'],
  ['theft_other', 'Other theft'],
];

export const TRIGGERS: [string, string][] = [
  ['challenging_theft', 'Challenging theft'],
  ['refusing_age_restricted_sale', 'Age-restricted sale refused'],
  ['refusing_intoxicated_customer', 'Refused a drunk customer'],
  ['asking_for_id', 'Asking for ID'],
  ['enforcing_store_policy', 'Enforcing store policy'],
  ['queues_or_staffing', 'Queues or staffing'],
  ['out_of_stock', 'Out of stock'],
  ['refund_dispute', 'Refund dispute'],
  ['self_scan_dispute', 'Self-scan dispute'],
  ['unprovoked', 'Unprovoked'],
  ['none_known', 'Not known'],
];

export const IMPACT_KINDS: [string, string][] = [
  ['isb', 'The business (Impact Statement for Business)'],
  ['vps', 'The person it was done to (Victim Personal Statement)'],
];

export const WEAPONS: [string, string][] = [
  ['none', 'None'],
  ['knife', 'Knife'],
  ['other_bladed', 'Other blade'],
  ['firearm', 'Firearm'],
  ['syringe', 'Syringe'],
  ['blunt', 'Blunt object'],
  ['other', 'Other'],
];

export const INJURIES: [string, string][] = [
  ['none', 'None'],
  ['minor', 'Minor'],
  ['first_aid', 'First aid'],
  ['medical', 'Needed medical care'],
  ['hospital', 'Hospital'],
  ['life_changing', 'Life-changing'],
];

/** The s.9 Criminal Justice Act 1967 declaration an MG11 carries, word for word. */
export const S9_DECLARATION =
  'This statement (consisting of page(s) each signed by me) is true to the best of my knowledge and belief ' +
  'and I make it knowing that, if it is tendered in evidence, I shall be liable to prosecution if I have ' +
  'wilfully stated in it anything which I know to be false, or do not believe to be true.';

export interface GoodsDraft {
  description: string;
  quantity: string;
  /** pounds, as typed */
  price: string;
}

export interface PhotoDraft {
  id: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
  blob: Blob;
  /** waiting: kept on the device until the evidence api takes it */
  state: 'queued' | 'sent' | 'waiting' | 'rejected';
  error?: string;
  /** the exhibit reference the api gave it when the upload was answered (e.g. "JS/1") */
  reference?: string;
}

export interface StatementDraft {
  witnessName: string;
  witnessOccupation: string;
  under18: boolean;
  witnessAge: string;
  statementText: string;
  declarationAcknowledged: boolean;
  signatureName: string;
  signedAt?: string;
  /** its own Idempotency-Key, made when the report is filed and sent on every retry */
  key?: string;
  state?: 'queued' | 'sent' | 'waiting' | 'rejected';
  error?: string;
}

/**
 * An impact statement given with the report; optional. 'isb': for the business, by its manager or
 * another authorised person; 'vps': a Victim Personal Statement, by the worker the crime was done to.
 */
export interface ImpactDraft {
  kind: 'isb' | 'vps';
  /** who makes it: for an ISB the business's representative, name and role; for a VPS the victim */
  madeBy: string;
  text: string;
  /** its own Idempotency-Key, made when the report is filed and sent on every retry */
  key?: string;
  state?: 'queued' | 'sent' | 'waiting' | 'rejected';
  error?: string;
}

export interface ReportForm {
  types: string[];
  triggers: string[];
  weapon: string;
  injury: string;
  /** empty: now (the moment the report is filed) */
  occurredAt: string;
  narrative: string;
  exactWords: string;
  description: string;
  clothing: string;
  directionOfTravel: string;
  goods: GoodsDraft[];
  /** damage to property or stock, in pounds (empty: none); optional for drafts saved before it */
  damage?: string;
  witnesses: Witness[];
  policeReported: boolean;
  crimeReference: string;
  policeAttended: boolean;
  cctvAvailable: boolean;
  cctvOverwriteOn: string;
  victimSupportOffered: boolean;
  /** who took the photos, named on the exhibits */
  photoProducer?: string;
}

export interface Draft {
  /** the Idempotency-Key, made when the draft is started */
  key: string;
  owner: string;
  form: ReportForm;
  photos: PhotoDraft[];
  statement: StatementDraft | null;
  /** optional for drafts saved before it */
  impact?: ImpactDraft | null;
  startedAt: string;
  updatedAt: string;
}

export function emptyForm(): ReportForm {
  return {
    types: [],
    triggers: [],
    weapon: 'none',
    injury: 'none',
    occurredAt: '',
    narrative: '',
    exactWords: '',
    description: '',
    clothing: '',
    directionOfTravel: '',
    goods: [],
    witnesses: [],
    policeReported: false,
    crimeReference: '',
    policeAttended: false,
    cctvAvailable: false,
    cctvOverwriteOn: '',
    victimSupportOffered: false,
    photoProducer: '',
  };
}

export function newDraft(owner: string): Draft {
  const now = new Date().toISOString();
  return { key: uuid(), owner, form: emptyForm(), photos: [], statement: null, impact: null, startedAt: now, updatedAt: now };
}

export function emptyStatement(): StatementDraft {
  return {
    witnessName: '',
    witnessOccupation: '',
    under18: false,
    witnessAge: '',
    statementText: '',
    declarationAcknowledged: false,
    signatureName: '',
  };
}

export function emptyImpact(): ImpactDraft {
  return { kind: 'isb', madeBy: '', text: '' };
}

/** Problems the form can find before anything is sent, keyed like the api's details. */
export function checkForm(
  form: ReportForm,
  statement: StatementDraft | null,
  impact: ImpactDraft | null = null,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!form.types.length) {
    out.types = 'Choose at least one thing that happened';
  }
  if (!form.narrative.trim()) {
    out.narrative = 'Say briefly what happened, in your own words';
  }
  form.goods.forEach((g, i) => {
    if (!g.description.trim()) {
      out[`goods.${i}.description`] = 'Describe the item';
    }
    if (!/^[1-9][0-9]*$/.test(g.quantity.trim())) {
      out[`goods.${i}.quantity`] = 'A whole number, 1 or more';
    }
    if (!/^[0-9]+(\.[0-9]{1,2})?$/.test(g.price.trim())) {
      out[`goods.${i}.unitPricePence`] = 'A price in pounds, e.g. 4.50';
    }
  });
  if (form.damage?.trim() && !/^[0-9]+(\.[0-9]{1,2})?$/.test(form.damage.trim())) {
    out.damageValuePence = 'An amount in pounds, e.g. 25.00';
  }
  if (form.crimeReference && !/^[A-Za-z0-9/ -]{1,40}$/.test(form.crimeReference)) {
    out.crimeReference = 'Letters, digits, / or - (at most 40)';
  }
  if (statement?.under18 && !/^([0-9]|1[0-7])$/.test(statement.witnessAge.trim())) {
    out['statement.witnessAge'] = 'Age in years, under 18';
  }
  if (statement) {
    if (!statement.witnessName.trim()) {
      out['statement.witnessName'] = 'The witness’s full name';
    }
    if (!statement.statementText.trim()) {
      out['statement.statementText'] = 'The statement, in the witness’s own words';
    }
    if (!statement.declarationAcknowledged) {
      out['statement.declarationAcknowledged'] = 'The witness must accept the declaration before signing';
    }
    if (!statement.signatureName.trim()) {
      out['statement.signatureName'] = 'The witness types their name to sign';
    }
  }
  if (impact) {
    if (!impact.madeBy.trim()) {
      out['impact.madeBy'] =
        impact.kind === 'vps' ? 'Who makes the statement: the name of the person the crime was done to' : 'Who makes the statement for the business: name and role';
    } else if (impact.madeBy.trim().length > 200) {
      out['impact.madeBy'] = 'At most 200 characters';
    }
    if (!impact.text.trim()) {
      out['impact.text'] =
        impact.kind === 'vps' ? 'How the crime has affected you, in your own words' : 'How the crime has affected the business, in the maker’s own words';
    } else if (impact.text.trim().length > 20_000) {
      out['impact.text'] = 'At most 20,000 characters';
    }
  }
  return out;
}

/** The body of `POST /incidents/:id/impact-statements` for an impact statement draft. */
export function toImpactRequest(impact: ImpactDraft): ImpactStatementRequest {
  return { kind: impact.kind, madeBy: impact.madeBy.trim(), text: impact.text.trim() };
}

const opt = (s: string) => (s.trim() ? s.trim() : undefined);

export function toRequest(form: ReportForm, filedAt: Date): IncidentRequest {
  const offender = {
    exactWords: opt(form.exactWords),
    freeText: opt(form.description),
    clothing: opt(form.clothing),
    directionOfTravel: opt(form.directionOfTravel),
  };
  const hasOffender = Object.values(offender).some(Boolean);
  return {
    // the form holds the option lists' codes as strings; the api names them as enums
    types: form.types as IncidentRequest['types'],
    triggers: form.triggers as IncidentRequest['triggers'],
    weapon: form.weapon as IncidentRequest['weapon'],
    injury: form.injury as IncidentRequest['injury'],
    occurredAt: (form.occurredAt ? new Date(form.occurredAt) : filedAt).toISOString(),
    narrative: form.narrative.trim(),
    offenders: hasOffender ? [JSON.parse(JSON.stringify(offender)) as typeof offender] : [],
    goods: form.goods.map((g) => ({
      description: g.description.trim(),
      quantity: Number(g.quantity),
      unitPricePence: Math.round(Number(g.price) * 100),
    })),
    witnesses: form.witnesses.filter((w) => w.name.trim()),
    policeReported: form.policeReported,
    crimeReference: opt(form.crimeReference) ?? null,
    policeAttended: form.policeAttended,
    cctvAvailable: form.cctvAvailable,
    cctvOverwriteOn: form.cctvAvailable && form.cctvOverwriteOn ? form.cctvOverwriteOn : null,
    victimSupportOffered: form.victimSupportOffered,
    ...(form.damage?.trim() ? { damageValuePence: Math.round(Number(form.damage) * 100) } : {}),
  };
}

/** Maps api field names (goods[0].quantity) to the form's keys (goods.0.quantity). */
export function normaliseField(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1').replace(/^offenders\.0\./, '');
}
