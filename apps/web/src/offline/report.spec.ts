/// <reference types="jest" />
import { checkForm, emptyForm, toRequest } from './report';

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
