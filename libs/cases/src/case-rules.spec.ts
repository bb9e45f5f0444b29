import { randomUUID } from 'node:crypto';
import { SerialFlagState } from '@app/offenders';
import { IncidentType, InjuryLevel } from '@app/incidents';
import {
  caseFactors,
  decodeTriageCursor,
  encodeTriageCursor,
  PRIORITY_WEIGHTS,
  reasonsFor,
  reportComesToTriageSql,
  type TriageFactors,
  type TriageFlag,
  TriageItemKind,
} from './case-rules';

const none: TriageFactors = {
  violence: false,
  injury: false,
  weapon: false,
  hate: false,
  offenderDetained: false,
  cctvOverwriteOn: null,
  prolific: false,
  hasStatement: false,
  hasExhibit: false,
  victimVulnerable: false,
};

const flag: TriageFlag = {
  id: randomUUID(),
  subjectId: randomUUID(),
  subjectReference: 'S-7F3A',
  state: SerialFlagState.New,
  totalPence: 24_000,
  theftCount: 3,
  thresholdPence: 20_000,
  storeIds: [],
  flaggedAt: new Date(),
};

describe('triage reasons', () => {
  it('names each factor that scored, with its points', () => {
    const reasons = reasonsFor({
      kind: TriageItemKind.Report,
      factors: { ...none, violence: true, hate: true },
      serialFlag: null,
    });
    expect(reasons).toEqual([
      { factor: 'violence', points: PRIORITY_WEIGHTS.violence, text: 'Violence or threats against staff' },
      { factor: 'hate', points: PRIORITY_WEIGHTS.hate, text: 'Hate-aggravated abuse' },
    ]);
    expect(reasonsFor({ kind: TriageItemKind.Report, factors: none, serialFlag: null })).toEqual([]);
  });

  it('says what a serial flag rests on; a case from a flag keeps the general words', () => {
    expect(
      reasonsFor({ kind: TriageItemKind.SerialFlag, factors: { ...none, prolific: true }, serialFlag: flag }),
    ).toEqual([
      {
        factor: 'prolific',
        points: PRIORITY_WEIGHTS.prolific,
        text: 'Serial offender: 3 thefts of at most £200.00 each, together £240.00',
      },
    ]);
    expect(
      reasonsFor({ kind: TriageItemKind.Case, factors: { ...none, prolific: true }, serialFlag: null }),
    ).toEqual([
      {
        factor: 'prolific',
        points: PRIORITY_WEIGHTS.prolific,
        text: 'Prolific or flagged subject (serial-offender flag)',
      },
    ]);
  });

  it('counts CCTV as urgent only within the days before it is overwritten', () => {
    const today = new Date('2026-03-01T10:00:00Z');
    const at = (day: string) =>
      reasonsFor(
        { kind: TriageItemKind.Report, factors: { ...none, cctvOverwriteOn: day }, serialFlag: null },
        today,
      );
    expect(at('2026-03-08').map((r) => r.factor)).toEqual(['cctv_overwrite']);
    expect(at('2026-03-09')).toEqual([]);
  });
});

describe('which reports come to triage by themselves', () => {
  it('asks for violence, hate, a weapon or an injury beyond minor', () => {
    const sql = reportComesToTriageSql('r');
    for (const word of ['robbery', 'threat', 'violence_injury', 'hate_aggravated_abuse', 'first_aid']) {
      expect(sql).toContain(`'${word}'`);
    }
    expect(sql).toContain("r.weapon <> 'none'");
    expect(sql).not.toContain("'minor'");
    expect(sql).not.toContain("'theft_shop'");
  });
});

describe('triage cursor', () => {
  it('round-trips score, kind and id, and refuses anything else', () => {
    const id = randomUUID();
    expect(decodeTriageCursor(encodeTriageCursor(45, TriageItemKind.SerialFlag, id))).toEqual([45, 2, id]);
    for (const bad of [`45|${id}`, `45|7|${id}`, `x|1|${id}`, '45|1|nope']) {
      expect(() => decodeTriageCursor(Buffer.from(bad).toString('base64url'))).toThrow(
        expect.objectContaining({ details: [expect.objectContaining({ field: 'cursor' })] }),
      );
    }
  });
});

describe("caseFactors (the pack's reasons at build time)", () => {
  const own = {
    offenderDetained: false,
    victimVulnerable: false,
    prolific: false,
    hasStatement: true,
    hasExhibit: false,
  };
  const report = {
    types: [IncidentType.TheftShop, IncidentType.ViolenceNoInjury],
    injury: InjuryLevel.Minor,
    weapon: 'knife',
    cctvAvailable: true,
    cctvOverwriteOn: '2026-03-05',
  };

  it('reads the factors the triage query would from the reports', () => {
    expect(caseFactors([report], own, new Date('2026-03-01T12:00:00Z'))).toEqual({
      ...own,
      violence: true,
      injury: true,
      weapon: true,
      hate: false,
      cctvOverwriteOn: '2026-03-05',
    });
  });

  it('ignores CCTV already overwritten and reports without any factor', () => {
    const theft = { ...report, types: [IncidentType.TheftShop], injury: InjuryLevel.None, weapon: 'none' };
    expect(caseFactors([theft], own, new Date('2026-03-06T12:00:00Z'))).toMatchObject({
      violence: false,
      injury: false,
      weapon: false,
      cctvOverwriteOn: null,
    });
  });
});
