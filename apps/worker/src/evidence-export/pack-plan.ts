import { isAbsolute, join, resolve } from 'node:path';
import {
  caseFactors,
  continuityEntryOf,
  type PackSource,
  reasonsFor,
  rulesAsApplied,
  type ScheduledAct,
  suggestOffences,
  THEFT_SHOP,
  TriageItemKind,
} from '@app/cases';
import {
  type CaseSummary,
  exhibitPackPaths,
  masterRelativePath,
  type PackPlan,
  type ScheduleRow,
  safeName,
  storageRoot,
  ukTime,
} from '@app/evidence';
import { signedContentJson } from '@app/incidents';
import type { StorageSettings } from '@app/storage';

/** The words a description field is shown under. */
const DESCRIPTION_LABELS: Record<string, string> = {
  apparentAgeRange: 'Apparent age',
  height: 'Height',
  build: 'Build',
  hair: 'Hair',
  usualClothing: 'Usual clothing',
  distinguishingMarks: 'Distinguishing marks',
  notes: 'Notes',
};

const FLAG_STATES: Record<string, string> = {
  new: 'new, not yet reviewed',
  reviewed: 'reviewed',
  case_opened: 'a case was opened from it',
  dismissed: 'dismissed',
  withdrawn: 'withdrawn (the reports no longer meet the rule)',
};

const words = (key: string): string => key.replace(/_/g, ' ');

/** The schedule's words for an act (assaults add the injury). */
const ACT_LABELS: Record<string, string> = {
  theft_shop: 'Theft from a shop',
  theft_other: 'Theft (not from the shelves)',
  hate_aggravated_abuse: 'Hate-aggravated abuse',
  asb: 'Anti-social behaviour',
};

/** The exhibit's producer is the witness: the same name, whatever the case and spacing. */
const samePerson = (a: string, b: string): boolean =>
  a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

/** One schedule row per act of each report (oldest first); shop thefts carry value and running total. */
function scheduleOf(src: PackSource): { acts: ScheduledAct[]; rows: ScheduleRow[] } {
  let running = 0;
  const acts: ScheduledAct[] = [];
  const rows: ScheduleRow[] = [];
  for (const i of src.incidents) {
    for (const type of i.types as string[]) {
      const row = rows.length + 1;
      const isTheft = type === THEFT_SHOP;
      const value = isTheft ? Number(i.valuePence) : null;
      running += value ?? 0;
      acts.push({
        row,
        incidentId: i.id,
        occurredAt: i.occurredAt,
        type,
        injury: i.injury,
        valuePence: value ?? 0,
      });
      rows.push({
        row,
        incidentId: i.id,
        occurredAt: i.occurredAt.toISOString(),
        storeName: src.stores.get(i.storeId)?.name ?? 'unknown store',
        act:
          type === 'violence_injury' || type === 'violence_no_injury'
            ? `Assault (injury: ${words(i.injury)})`
            : (ACT_LABELS[type] ?? words(type).replace(/^./, (c) => c.toUpperCase())),
        items:
          type.startsWith('theft') || type === 'robbery'
            ? i.goods.map((g) => `${g.quantity} x ${g.description}`).join('; ')
            : '',
        valuePence: value,
        runningTotalPence: isTheft ? running : null,
        crimeReference: i.crimeReference,
        isTheft,
      });
    }
  }
  return { acts, rows };
}

/**
 * Turns what the repository read into the builder's plain-data plan. The ZIP is built in the
 * scratch folder (STORAGE_DIR/tmp/packs) and stored by the worker once complete.
 */
export function planPack(
  src: PackSource,
  storage: StorageSettings,
  signingKeyPath: string,
  generatedAt: Date,
  generator: string,
): PackPlan {
  const keyPath = isAbsolute(signingKeyPath) ? signingKeyPath : resolve(process.cwd(), signingKeyPath);
  const c = src.case;
  const { acts, rows } = scheduleOf(src);
  const rules = rulesAsApplied(acts, src.rules);
  const threshold = src.rules.find((r) => r.key === 's22a.threshold_pence')?.value;
  const summary: CaseSummary = {
    reference: c.reference,
    status: c.status.replace(/_/g, ' '),
    openedAt: c.createdAt.toISOString(),
    openedFrom: c.origin === 'serial_flag' ? 'a serial-offender flag (bundle of incidents)' : 'one incident',
    officer: src.officerName,
    crimeReferences: [...new Set(src.incidents.map((i) => i.crimeReference).filter((r): r is string => !!r))],
    offences: suggestOffences(acts, src.rules),
    subject: src.subject
      ? {
          displayName: src.subject.name
            ? `${src.subject.name} (${src.subject.reference})`
            : `Identity sought (${src.subject.reference})`,
          description: src.subject.description
            ? Object.entries(src.subject.description)
                .filter(([, v]) => v)
                .map(([k, v]) => `${DESCRIPTION_LABELS[k] ?? words(k)}: ${String(v)}`)
                .join('; ')
            : null,
          flags: [
            ...src.flags.map(
              (f) =>
                `Serial-offender flag (${FLAG_STATES[f.state] ?? words(f.state)} when this pack was built), total £${(Number(f.total_pence) / 100).toFixed(2)}: ${f.legal_consequence}`,
            ),
            ...(src.subject.juvenile ? ['under 18'] : []),
          ],
        }
      : null,
    schedule: rows,
    compensation: src.incidents.map((i) => {
      const [taken, recovered, damaged] = [i.valuePence, i.recoveredValuePence, i.damageValuePence].map(
        Number,
      );
      const store = src.stores.get(i.storeId);
      return {
        occurredAt: i.occurredAt.toISOString(),
        storeName: store?.name ?? 'unknown store',
        loser: store?.business ?? 'not recorded',
        takenPence: taken,
        recoveredPence: recovered,
        damagedPence: damaged,
        lossPence: taken - recovered + damaged,
      };
    }),
    thresholdPence: typeof threshold === 'number' ? threshold : 20000,
    exclusions: src.exclusions.map((e) => ({
      premises: [...(e.store_names ?? []), ...(e.area ? [e.area] : [])].join(', ') || 'not recorded',
      termFrom: e.served_at.toISOString(),
      termTo: e.expires_at.toISOString(),
      servedAt: e.served_at.toISOString(),
      servedBy: e.served_by_name,
      method: e.service_method ? words(e.service_method) : null,
      acknowledgement: e.acknowledgement,
      reference: e.id.slice(0, 8).toUpperCase(),
    })),
    rules: rules.map((r) => ({ ...r, code: r.key })),
    // the triage queue's reasons, as they stood when the pack was built
    priorityReasons: reasonsFor(
      {
        kind: TriageItemKind.Case,
        serialFlag: null,
        factors: caseFactors(
          src.incidents,
          {
            offenderDetained: c.offenderDetained,
            victimVulnerable: c.victimVulnerable,
            prolific: c.origin === 'serial_flag' || src.flags.length > 0,
            hasStatement: src.statements.length > 0,
            hasExhibit: src.exhibits.length > 0,
          },
          generatedAt,
        ),
      },
      generatedAt,
    ).map((r) => r.text),
    evidenceList: [
      ...src.exhibits.map(
        (e) =>
          `${e.reference}: ${e.mediaType}, ${e.sizeBytes} bytes, SHA-256 ${e.sha256}, produced by ${e.producerName}`,
      ),
      ...src.statements.map(
        (s) => `MG11 of ${s.witnessName}, version ${s.version}, signed ${ukTime(s.signedAt.toISOString())}`,
      ),
      ...src.impactStatements.map((r) => `${r.kind.toUpperCase()} by ${r.madeBy}, given ${r.given}`),
    ],
    notes: c.outcomePlain ? [c.outcomePlain] : [],
  };
  const exhibitPaths = exhibitPackPaths(src.exhibits);
  return {
    packId: src.pack.id,
    caseId: c.id,
    caseReference: c.reference,
    outPath: join(storageRoot(storage.dir), 'tmp', 'packs', `${src.pack.id}.zip`),
    storage,
    signingKeyPath: keyPath,
    generatedAt: generatedAt.toISOString(),
    generator,
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
        exhibitsProduced: src.exhibits
          .map((e, i) => ({ e, packPath: exhibitPaths[i] }))
          .filter(({ e }) => e.incidentId === s.incidentId && samePerson(e.producerName, s.witnessName))
          .map(({ e, packPath }) => ({
            reference: e.reference,
            packPath,
            mediaType: e.mediaType,
            capturedAt: e.capturedAt?.toISOString() ?? null,
          })),
      };
    }),
    impactStatements: src.impactStatements.map((r, n) => ({
      fileName: `${r.kind.toUpperCase()}-${n + 1}.pdf`,
      kind: r.kind,
      sourceId: r.id,
      given: r.given,
      madeBy: r.madeBy,
      madeAt: r.madeAt.toISOString(),
      text: r.text,
    })),
    exhibits: src.exhibits.map((e, n) => ({
      reference: e.reference,
      packPath: exhibitPaths[n],
      incidentId: e.incidentId,
      exhibitId: e.id,
      sourceKey: masterRelativePath(e.partnershipId, e.sha256),
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
