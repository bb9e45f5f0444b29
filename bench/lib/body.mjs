// One valid CreateIncidentRequest (apps/api/src/incidents/dto/incident.dto.ts): a typical till
// report, ~1 KB of JSON. The same body goes to the api, to B-pg and to the validators.
export function incidentBody(now = Date.now()) {
  return {
    types: ['theft_shop', 'verbal_abuse'],
    triggers: ['challenging_theft'],
    weapon: 'none',
    injury: 'none',
    goods: [
      { description: 'Razor blades', sku: 'RB-4', quantity: 6, unitPricePence: 1299 },
      { description: 'Coffee', quantity: 4, unitPricePence: 650, recoveredQuantity: 2 },
    ],
    occurredAt: new Date(now - 10 * 60 * 1000).toISOString(),
    narrative:
      'Man in a grey hoodie filled a bag with razor blades and coffee and walked past the tills; challenged at the door, he swore at staff and left towards the car park.',
    offenders: [
      {
        apparentAgeRange: '30-40',
        height: 'tall',
        build: 'slim',
        hair: 'short dark',
        clothing: 'grey hoodie, black joggers',
        directionOfTravel: 'car park',
      },
    ],
    witnesses: [{ name: 'Sam (supervisor)', kind: 'staff' }],
    policeReported: true,
    policeAttended: false,
    cctvAvailable: true,
    // within the plausible range (DATE_RANGES.cctvOverwrite: up to two years ahead)
    cctvOverwriteOn: new Date(now + 30 * 86_400_000).toISOString().slice(0, 10),
    victimSupportOffered: true,
  };
}
