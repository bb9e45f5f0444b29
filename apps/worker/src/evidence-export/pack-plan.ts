import { isAbsolute, join, resolve } from 'node:path';
import { continuityEntryOf, type PackSource } from '@app/cases';
import {
  type CaseSummary,
  exhibitPackPaths,
  masterRelativePath,
  packRelativePath,
  type PackPlan,
  type RuleRow,
  safeName,
  storageRoot,
} from '@app/evidence';
import { signedContentJson } from '@app/incidents';

const THEFT = 'theft_shop';

/** Suggested offences from the recorded incident types (police and the CPS decide). */
const OFFENCES: Record<string, { title: string; basis: string }> = {
  theft_shop: {
    title: 'Theft from a shop (s.1 Theft Act 1968)',
    basis: 'goods taken from a shop without payment',
  },
  theft_other: { title: 'Theft (s.1 Theft Act 1968)', basis: 'property taken' },
  robbery: { title: 'Robbery (s.8 Theft Act 1968)', basis: 'force or threat of force used to steal' },
  violence_injury: {
    title: 'Assault occasioning actual bodily harm (s.47 OAPA 1861)',
    basis: 'a worker was injured',
  },
  violence_no_injury: {
    title: 'Common assault (s.39 Criminal Justice Act 1988)',
    basis: 'force used or threatened without injury',
  },
  threat: { title: 'Threatening behaviour (s.4 Public Order Act 1986)', basis: 'threats made to staff' },
  verbal_abuse: {
    title: 'Harassment, alarm or distress (s.4A/s.5 Public Order Act 1986)',
    basis: 'abusive words or behaviour',
  },
  hate_aggravated_abuse: {
    title: 'Racially or religiously aggravated public order offence (s.31 Crime and Disorder Act 1998)',
    basis: 'hostility shown',
  },
  criminal_damage: { title: 'Criminal damage (s.1 Criminal Damage Act 1971)', basis: 'property damaged' },
  fraud: { title: 'Fraud (s.1 Fraud Act 2006)', basis: 'dishonest representation' },
};

/** The rules applied when the partnership has none recorded (effective-dated, with sources). */
const DEFAULT_RULES: RuleRow[] = [
  {
    code: 's22a_low_value_shoplifting',
    title:
      'Low-value shoplifting: goods worth £200 or less are summary-only; aggregated when charged together',
    source: "s.22A Magistrates' Courts Act 1980 (inserted by s.176 ASBCPA 2014)",
    effectiveFrom: '2014-05-13',
    keyDate: 'proceedings date',
    appliedAs: '',
  },
  {
    code: 'theft_shop_guideline',
    title:
      'Sentencing Council guideline, theft from a shop or stall: banning order from the store is high culpability (A)',
    source: 'Sentencing Council definitive guideline',
    effectiveFrom: '2016-02-01',
    keyDate: 'sentence date',
    appliedAs: 'exclusion notices and their service are listed as sentencing evidence',
  },
];

/** Turns what the repository read into the builder's plain-data plan. */
export function planPack(
  src: PackSource,
  storageDir: string,
  signingKeyPath: string,
  generatedAt: Date,
): PackPlan {
  const root = storageRoot(storageDir);
  const keyPath = isAbsolute(signingKeyPath) ? signingKeyPath : resolve(process.cwd(), signingKeyPath);
  const c = src.case;
  let running = 0;
  const incidents = src.incidents.map((i) => {
    const value = Number(i.valuePence);
    running += value;
    return {
      id: i.id,
      occurredAt: i.occurredAt.toISOString(),
      storeName: src.stores.get(i.storeId) ?? 'unknown store',
      items: i.goods.length
        ? i.goods.map((g) => `${g.quantity} x ${g.description}`).join('; ')
        : i.types.map((t) => t.replace(/_/g, ' ')).join(', '),
      valuePence: value,
      recoveredPence: Number(i.recoveredValuePence),
      runningTotalPence: running,
      crimeReference: i.crimeReference,
      types: i.types,
      isTheft: i.types.includes(THEFT as never),
    };
  });
  const thefts = incidents.filter((i) => i.isTheft);
  const theftTotal = thefts.reduce((s, i) => s + i.valuePence, 0);
  const types = [...new Set(src.incidents.flatMap((i) => i.types as string[]))];
  const rulesFromDb: RuleRow[] = src.rules.map((r) => ({
    code: r.key,
    title: describeRule(r.key, r.value),
    source: r.source,
    effectiveFrom: r.effective_from ?? 'not commenced (no date set)',
    keyDate: r.key_date.replace(/_/g, ' '),
    appliedAs: '',
  }));
  const rules = (rulesFromDb.length ? rulesFromDb : DEFAULT_RULES).map((r) => ({
    ...r,
    appliedAs:
      r.appliedAs ||
      (/22a|low.value|threshold/i.test(r.code)
        ? thefts.length >= 2
          ? `Applied to ${thefts.length} thefts totalling £${(theftTotal / 100).toFixed(2)}: ${theftTotal > 20000 ? 'charged together they exceed £200, so none is low-value' : 'together they do not exceed £200'}.`
          : 'Applied to the single theft on its own value.'
        : 'Listed for the officer; not applied automatically.'),
  }));
  const summary: CaseSummary = {
    reference: c.reference,
    status: c.status.replace(/_/g, ' '),
    openedAt: c.createdAt.toISOString(),
    openedFrom: c.origin === 'serial_flag' ? 'a serial-offender flag (bundle of incidents)' : 'one incident',
    officer: src.officerName,
    crimeReferences: [...new Set(src.incidents.map((i) => i.crimeReference).filter((r): r is string => !!r))],
    offences: types.filter((t) => OFFENCES[t]).map((t) => OFFENCES[t]),
    subject: src.subject
      ? {
          displayName: src.subject.name
            ? `${src.subject.name} (${src.subject.reference})`
            : `Identity sought (${src.subject.reference})`,
          description: src.subject.description
            ? Object.entries(src.subject.description)
                .filter(([, v]) => v)
                .map(([k, v]) => `${k}: ${String(v)}`)
                .join('; ')
            : null,
          flags: [
            ...src.flags.map(
              (f) =>
                `serial-offender flag (${f.state}), total £${(Number(f.total_pence) / 100).toFixed(2)}: ${f.legal_consequence}`,
            ),
            ...(src.subject.juvenile ? ['under 18'] : []),
          ],
        }
      : null,
    incidents,
    thresholdPence: 20000,
    exclusions: src.exclusions.map((e) => ({
      premises: [...(e.store_names ?? []), ...(e.area ? [e.area] : [])].join(', ') || 'not recorded',
      termFrom: e.served_at.toISOString(),
      termTo: e.expires_at.toISOString(),
      servedAt: e.served_at.toISOString(),
      servedBy: e.served_by_name,
      method: e.service_method,
      acknowledgement: e.acknowledgement,
      reference: e.id.slice(0, 8).toUpperCase(),
    })),
    rules,
    priorityReasons: [
      ...(c.offenderDetained ? ['Offender detained'] : []),
      ...(c.victimVulnerable ? ['Victim vulnerability'] : []),
      ...(c.origin === 'serial_flag' ? ['Prolific or flagged subject'] : []),
      ...(src.incidents.some((i) => i.weapon !== 'none') ? ['Weapon'] : []),
      ...(src.incidents.some((i) => i.injury !== 'none') ? ['Injury'] : []),
    ],
    evidenceList: [
      ...src.exhibits.map(
        (e) =>
          `${e.reference}: ${e.mediaType}, ${e.sizeBytes} bytes, SHA-256 ${e.sha256}, produced by ${e.producerName}`,
      ),
      ...src.statements.map(
        (s) => `MG11 of ${s.witnessName}, version ${s.version}, signed ${s.signedAt.toISOString()}`,
      ),
      ...src.impactStatements.map(
        (r) => `${r.impactKind === 'vps' ? 'VPS' : 'ISB'} by ${r.impactMadeBy ?? 'unknown'}`,
      ),
    ],
    notes: c.outcomePlain ? [c.outcomePlain] : [],
  };
  const exhibitPaths = exhibitPackPaths(src.exhibits);
  return {
    packId: src.pack.id,
    caseId: c.id,
    caseReference: c.reference,
    outPath: join(root, packRelativePath(src.pack.partnershipId, src.pack.id)),
    signingKeyPath: keyPath,
    generatedAt: generatedAt.toISOString(),
    partnership: {
      name: src.partnership.name,
      policeForceArea: src.partnership.policeForceArea,
      jurisdiction: src.partnership.jurisdiction,
    },
    summary,
    statements: src.statements.map((s, n) => {
      const incident = src.incidents.find((i) => i.id === s.incidentId);
      return {
        fileName: `MG11-${n + 1}-${safeName(s.witnessName, 40)}-v${s.version}.pdf`,
        incidentId: s.incidentId,
        statementId: s.id,
        version: s.version,
        supersedesId: s.supersedesId,
        ...signedContentJson(s),
        contentSha256: s.contentSha256,
        crimeReference: incident?.crimeReference ?? null,
      };
    }),
    impactStatements: src.impactStatements.map((r, n) => ({
      fileName: `${r.impactKind === 'vps' ? 'VPS' : 'ISB'}-${n + 1}.pdf`,
      kind: r.impactKind === 'vps' ? 'vps' : 'isb',
      requestId: r.id,
      madeBy: r.impactMadeBy ?? 'not recorded',
      madeAt: (r.answeredAt ?? r.updatedAt).toISOString(),
      text: r.answerText ?? '',
    })),
    exhibits: src.exhibits.map((e, n) => ({
      reference: e.reference,
      packPath: exhibitPaths[n],
      incidentId: e.incidentId,
      exhibitId: e.id,
      sourcePath: join(root, masterRelativePath(e.partnershipId, e.sha256)),
      sha256: e.sha256,
      sizeBytes: Number(e.sizeBytes),
      mediaType: e.mediaType,
      originalName: e.originalName,
      producerName: e.producerName,
      capturedAt: e.capturedAt ? e.capturedAt.toISOString() : null,
      clockOffsetSeconds: e.clockOffsetSeconds,
      uploadedAt: e.createdAt.toISOString(),
    })),
    continuity: src.continuity.map(continuityEntryOf),
  };
}

function describeRule(key: string, value: unknown): string {
  const v = value === null || value === undefined ? '' : ` (${JSON.stringify(value)})`;
  return `${key.replace(/_/g, ' ')}${v}`;
}
