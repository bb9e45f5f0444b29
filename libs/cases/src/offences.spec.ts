import { type LegalRuleData, rulesAsApplied, type ScheduledAct, suggestOffences } from './offences';

const rule = (key: string, effectiveFrom: string | null, value: unknown): LegalRuleData => ({
  key,
  source: `${key} source: detail`,
  effective_from: effectiveFrom,
  key_date: 'offence_date',
  value,
});

/** England and Wales as migrated: s.22A in force, its repeal and the 2026 offence not commenced. */
const rules = (repeal: string | null = null, retail: string | null = null): LegalRuleData[] => [
  rule('retail_worker_offence', retail, {
    offence: 'assault on a retail worker',
    acts: ['violence_injury', 'violence_no_injury'],
  }),
  rule('s22a.repeal', repeal, { effect: 'either way' }),
  rule('s22a.threshold_pence', '2014-05-13', 20000),
];

let row = 0;
const act = (type: string, day: string, over: Partial<ScheduledAct> = {}): ScheduledAct => ({
  row: ++row,
  incidentId: `i-${day}`,
  occurredAt: new Date(`${day}T12:00:00Z`),
  type,
  injury: 'none',
  valuePence: type === 'theft_shop' ? 8000 : 0,
  ...over,
});

describe('suggested offences', () => {
  beforeEach(() => (row = 0));

  it.each([
    ['none', 'Common assault', 's.39 Criminal Justice Act 1988'],
    ['minor', 'Common assault', 's.39 Criminal Justice Act 1988'],
    ['first_aid', 'Assault occasioning actual bodily harm', 's.47 Offences Against the Person Act 1861'],
    ['hospital', 'Assault occasioning actual bodily harm', 's.47 Offences Against the Person Act 1861'],
    ['life_changing', 'Inflicting grievous bodily harm', 's.20 Offences Against the Person Act 1861'],
  ])('an assault with injury %s suggests %s', (injury, title, provision) => {
    const [o] = suggestOffences([act('violence_injury', '2026-03-01', { injury })], rules());
    expect(o).toMatchObject({ title, provision, dates: ['2026-03-01'], rows: [1] });
  });

  it('names each offence once with every date and schedule row it rests on', () => {
    const acts = [
      act('theft_shop', '2026-03-01'),
      act('violence_no_injury', '2026-03-01'),
      act('theft_shop', '2026-03-05'),
    ];
    const offences = suggestOffences(acts, rules());
    expect(offences.map((o) => [o.title, o.dates, o.rows])).toEqual([
      ['Theft from a shop', ['2026-03-01', '2026-03-05'], [1, 3]],
      ['Common assault', ['2026-03-01'], [2]],
    ]);
  });

  it('suggests the 2026 retail-worker offence only for conduct on or after its commencement', () => {
    const acts = [act('violence_no_injury', '2026-08-31'), act('violence_no_injury', '2026-09-01')];
    const notCommenced = suggestOffences(acts, rules());
    expect(notCommenced.map((o) => o.title)).toEqual(['Common assault']);
    const commenced = suggestOffences(acts, rules(null, '2026-09-01'));
    expect(commenced.find((o) => o.title === 'Assault on a retail worker')).toMatchObject({
      dates: ['2026-09-01'],
      rows: [2],
    });
  });
});

describe('rules as applied', () => {
  beforeEach(() => (row = 0));
  const thefts = () => [1, 2, 3].map((d) => act('theft_shop', `2026-03-0${d}`));

  it('an uncommenced repeal is said to be so, and s.22A governs every theft', () => {
    const applied = rulesAsApplied(thefts(), rules());
    const byKey = Object.fromEntries(applied.map((r) => [r.key, r]));
    expect(byKey['s22a.repeal']).toMatchObject({
      effectiveFrom: null,
      appliedAs: 'Not commenced: not applied; s.22A governs every shop theft here.',
    });
    expect(byKey['s22a.threshold_pence'].appliedAs).toBe(
      'Applied to 3 shop thefts totalling £240.00: charged together on one occasion they exceed £200.00, so none is low-value shoplifting.',
    );
    expect(byKey.retail_worker_offence.appliedAs).toBe('Not commenced: not suggested for any act here.');
    for (const r of applied) {
      expect(`${r.title} ${r.appliedAs}`).not.toMatch(/[{}_]|s22a\./);
    }
  });

  it('a commenced repeal takes the later thefts out of s.22A', () => {
    const byKey = Object.fromEntries(rulesAsApplied(thefts(), rules('2026-03-02')).map((r) => [r.key, r]));
    expect(byKey['s22a.repeal'].appliedAs).toBe(
      'Applies to 2 of 3 shop thefts here (conduct on or after 2 March 2026).',
    );
    expect(byKey['s22a.threshold_pence'].appliedAs).toBe(
      'Applied to the one shop theft on its own value, £80.00: at or under £200.00. 2 later theft(s) fall after its repeal.',
    );
  });
});
