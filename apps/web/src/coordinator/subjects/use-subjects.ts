import type { Page, Subject } from '../../api/types';
import { useLoad } from '../../ui/data';

export const subjectName = (s: Subject | undefined) =>
  s ? `${s.reference}${s.name ? ` · ${s.name}` : ' · identity sought'}` : 'subject';

/** The partnership's subjects, with a map by id for naming them beside flags, listings and notices. */
export function useSubjects() {
  const all = useLoad<Page<Subject>>('/subjects?limit=100');
  return { ...all, map: new Map((all.data?.items ?? []).map((s) => [s.id, s])) };
}
