import { INCIDENT_TYPES, INJURIES, TRIGGERS, WEAPONS } from '../offline/report';

const maps = Object.fromEntries([...INCIDENT_TYPES, ...TRIGGERS]);
const weapon = Object.fromEntries(WEAPONS);
const injury = Object.fromEntries(INJURIES);

export const typeLabel = (t: string) => maps[t] ?? t;
export const weaponLabel = (w: string) => weapon[w] ?? w;
export const injuryLabel = (i: string) => injury[i] ?? i;
export const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—';
export const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;
