// Human words for the statistics api's keys: measures ("violent_reported"), periods ("2026-08-01"
// in a monthly series is "August 2026") and breakdown keys (types, triggers, weapons, injuries).
import { injuryLabel, typeLabel, weaponLabel } from '../ui/labels';

const MEASURES: Record<string, string> = {
  incidents: 'Incidents',
  violent: 'Violent incidents',
  abuse: 'Abuse incidents',
  against_staff: 'Offences against staff',
  with_weapon: 'Incidents with a weapon',
  injured: 'Incidents with an injury',
  age_restricted: 'Refused age-restricted sales',
  reported: 'Reported to police',
  attended: 'Police attended',
  violent_reported: 'Violent incidents reported',
  thefts: 'Thefts',
  value_pence: 'Value of goods',
  theft_value_pence: 'Value of goods stolen',
  none: 'None',
};

/** "2026-08-01" in a monthly series is "August 2026"; in a daily one "1 Aug 2026". */
export function periodLabel(iso: string, interval: 'day' | 'month'): string {
  const d = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  return interval === 'month'
    ? d.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })
    : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** A breakdown or measure key in words; unknown keys are shown with their underscores as spaces. */
export function statLabel(key: string): string {
  if (/^\d{4}-\d{2}-\d{2}/.test(key)) {
    return periodLabel(key, 'day');
  }
  const bare = key.replace(/^(type|trigger)_/, '');
  const known =
    MEASURES[key] ?? [typeLabel(bare), weaponLabel(bare), injuryLabel(bare)].find((l) => l !== bare);
  if (known) {
    return known;
  }
  const words = key.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
