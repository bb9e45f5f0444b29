import { Role } from '@app/auth';
import type { SubjectDescription, SubjectVehicle } from '../entities/subject.entity';

/** The words a description field is printed under (never its key). */
export const DESCRIPTION_LABELS: Record<keyof SubjectDescription, string> = {
  apparentAgeRange: 'Apparent age',
  height: 'Height',
  build: 'Build',
  hair: 'Hair',
  usualClothing: 'Usual clothing',
  distinguishingMarks: 'Distinguishing marks',
  notes: 'Other notes',
};

const ORDER = Object.keys(DESCRIPTION_LABELS) as (keyof SubjectDescription)[];

/**
 * The recorded description as [label, value] pairs in a fixed order, blanks left out. `notes` is
 * left out when `withNotes` is false (a letter to the person describes what anyone can see).
 */
export function describedAs(d: Partial<SubjectDescription> | null, withNotes = true): [string, string][] {
  const out: [string, string][] = [];
  for (const key of ORDER) {
    const value = d?.[key]?.trim();
    if (value && (withNotes || key !== 'notes')) {
      out.push([DESCRIPTION_LABELS[key], value]);
    }
  }
  return out;
}

/** "AB12CDE (blue Ford Fiesta)". */
export function vehicleWords(v: SubjectVehicle): string {
  const what = [v.colour, v.make, v.model].filter((x) => x && x.trim()).join(' ');
  return what ? `${v.registration} (${what})` : v.registration;
}

const ROLE_WORDS: Record<Role, string> = {
  [Role.Shopworker]: 'shop worker',
  [Role.StoreManager]: 'store manager',
  [Role.Coordinator]: 'partnership coordinator',
  [Role.Police]: 'police officer',
  [Role.Admin]: 'partnership administrator',
  [Role.Analyst]: 'analyst',
};

export function roleWords(role: Role): string {
  return ROLE_WORDS[role] ?? role.replace(/_/g, ' ');
}

/** The value of an enum-like key in words when no label is known ("in_person" -> "in person"). */
export function keyWords(key: string): string {
  return key.replace(/_/g, ' ');
}
