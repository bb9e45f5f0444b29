import { randomUUID } from 'node:crypto';
import type { TestApi } from '../create-test-app';
import type { GivenPartnership } from '../create-test-app';

/** A complete, valid report body as a till tablet would send it. */
export function buildIncidentRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    types: ['theft_shop', 'verbal_abuse'],
    triggers: ['challenging_theft'],
    weapon: 'none',
    injury: 'none',
    goods: [
      {
        description: 'Steak, sirloin 250g',
        sku: '5000001',
        quantity: 6,
        unitPricePence: 650,
        recoveredQuantity: 2,
      },
      { description: 'Whisky 70cl', quantity: 1, unitPricePence: 2400 },
    ],
    occurredAt: new Date(Date.now() - 3600_000).toISOString(),
    narrative: 'A man filled a bag with steak and whisky. When I asked him to stop he swore at me and left.',
    offenders: [
      {
        apparentAgeRange: '30-40',
        height: 'about 6ft',
        build: 'slim',
        clothing: 'grey hoodie, black joggers',
        exactWords: 'Get out of my way',
        directionOfTravel: 'towards the station',
      },
    ],
    witnesses: [{ name: 'Sam Jones', kind: 'staff' }],
    policeReported: true,
    crimeReference: 'CR/12345/26',
    policeAttended: false,
    cctvAvailable: true,
    cctvOverwriteOn: new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10),
    cctvClockOffsetSeconds: -90,
    victimSupportOffered: true,
    ...overrides,
  };
}

/** Enrols a till tablet at the partnership's first store and signs it in; returns its token. */
export async function givenTablet(
  api: TestApi,
  p: GivenPartnership,
  storeIndex: 0 | 1 = 0,
): Promise<{ deviceId: string; token: string }> {
  const enrol = await api.http.post(
    '/api/v1/devices',
    { storeId: p.storeIds[storeIndex], name: `Till ${randomUUID().slice(0, 4)}` },
    p.tokens.coordinator,
  );
  if (enrol.status !== 201) {
    throw new Error(`enrol failed: ${enrol.status} ${enrol.text}`);
  }
  const login = await api.http.post('/api/v1/auth/device', { credential: enrol.body.credential });
  if (login.status !== 200) {
    throw new Error(`device login failed: ${login.status} ${login.text}`);
  }
  return { deviceId: enrol.body.id as string, token: login.body.accessToken as string };
}

/** POSTs a report with an Idempotency-Key (a fresh one unless given). */
export function postIncident(
  api: TestApi,
  token: string,
  body: Record<string, unknown> = buildIncidentRequest(),
  key: string | null = randomUUID(),
) {
  return api.http.request('POST', '/api/v1/incidents', {
    token,
    body,
    headers: key === null ? {} : { 'idempotency-key': key },
  });
}

/** POSTs an MG11 statement on a report with an Idempotency-Key (a fresh one unless given). */
export function postStatement(
  api: TestApi,
  token: string,
  incidentId: string,
  body: Record<string, unknown>,
  key: string | null = randomUUID(),
) {
  return api.http.request('POST', `/api/v1/incidents/${incidentId}/statements`, {
    token,
    body,
    headers: key === null ? {} : { 'idempotency-key': key },
  });
}
