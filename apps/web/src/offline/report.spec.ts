/// <reference types="jest" />
import { checkForm, emptyForm, emptyImpact, toImpactRequest, toRequest } from './report';

describe('the till report form', () => {
  const filed = new Date('2026-03-01T12:00:00Z');
  const form = { ...emptyForm(), types: ['criminal_damage'], narrative: 'Smashed the door' };

  it('sends damage in pence, and nothing when left empty', () => {
    expect(toRequest({ ...form, damage: '25.50' }, filed).damageValuePence).toBe(2550);
    expect(toRequest({ ...form, damage: ' ' }, filed)).not.toHaveProperty('damageValuePence');
    expect(toRequest(form, filed)).not.toHaveProperty('damageValuePence');
  });

  it('names the damage field when it is not an amount in pounds', () => {
    expect(checkForm({ ...form, damage: 'lots' }, null)).toEqual({
      damageValuePence: 'An amount in pounds, e.g. 25.00',
    });
    expect(checkForm({ ...form, damage: '25' }, null)).toEqual({});
  });
});

describe('the impact statement on the till form', () => {
  const form = { ...emptyForm(), types: ['theft_shop'], narrative: 'Took the razors' };

  it('is optional: no impact statement, no problems', () => {
    expect(checkForm(form, null, null)).toEqual({});
    expect(checkForm(form, null)).toEqual({});
  });

  it('names who makes it and the text when either is missing', () => {
    expect(checkForm(form, null, { ...emptyImpact(), madeBy: '  ', text: '' })).toEqual({
      'impact.madeBy': 'Who makes the statement for the business: name and role',
      'impact.text': 'How the crime has affected the business, in the maker’s own words',
    });
  });

  it('sends an ISB with the maker and the text trimmed, and nothing of the queue’s own fields', () => {
    const impact = { kind: 'isb' as const, madeBy: ' Priya Shah, store manager ', text: ' Staff are afraid. ', key: 'k', state: 'queued' as const };
    expect(checkForm(form, null, impact)).toEqual({});
    expect(toImpactRequest(impact)).toEqual({ kind: 'isb', madeBy: 'Priya Shah, store manager', text: 'Staff are afraid.' });
  });

  it('asks a Victim Personal Statement for the victim’s own name and words, and sends it as a VPS', () => {
    expect(checkForm(form, null, { ...emptyImpact(), kind: 'vps', madeBy: '', text: ' ' })).toEqual({
      'impact.madeBy': 'Who makes the statement: the name of the person the crime was done to',
      'impact.text': 'How the crime has affected you, in your own words',
    });
    const vps = { kind: 'vps' as const, madeBy: ' Amy Clarke ', text: ' I dread the late shift. ' };
    expect(toImpactRequest(vps)).toEqual({ kind: 'vps', madeBy: 'Amy Clarke', text: 'I dread the late shift.' });
  });
});
