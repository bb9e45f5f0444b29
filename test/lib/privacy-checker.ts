/**
 * P2 checkers (quality.md section 6): pure functions over an export or a database state read once
 * the system is quiet, so negative controls can feed them deliberately broken inputs.
 */

/** One place the test put the person: which export section must hold which record id. */
export interface PlantedPlace {
  place: string;
  section: string;
  id: string;
}

export interface SarCounts {
  places: number;
  found: number;
  missing: number;
  /** third-party canary strings (names, contacts, ids) found anywhere in the export */
  thirdPartyLeaks: number;
}

export function checkSubjectAccess(
  planted: PlantedPlace[],
  exported: { sections: Record<string, Record<string, unknown>[]> },
  thirdPartyCanaries: string[],
): SarCounts & { missingPlaces: string[] } {
  // a place counts as found when every record planted there is in its section
  const places = [...new Set(planted.map((p) => p.place))];
  const missingPlaces = places.filter((place) =>
    planted
      .filter((p) => p.place === place)
      .some((p) => !(exported.sections[p.section] ?? []).some((r) => r.id === p.id)),
  );
  const text = JSON.stringify(exported);
  return {
    places: places.length,
    found: places.length - missingPlaces.length,
    missing: missingPlaces.length,
    thirdPartyLeaks: thirdPartyCanaries.filter((c) => text.includes(c)).length,
    missingPlaces,
  };
}

export interface RetentionState {
  /** ids of records that were due and not held */
  due: string[];
  held: string[];
  notDue: string[];
  /** ids still present in the database after the run */
  present: Set<string>;
  /** access_log `erase` rows per object id */
  eraseRows: Map<string, number>;
}

export interface RetentionCounts {
  due: number;
  expiredRemaining: number;
  heldErased: number;
  notDueErased: number;
  erasuresNotLoggedOnce: number;
}

export function checkRetention(s: RetentionState): RetentionCounts {
  return {
    due: s.due.length,
    expiredRemaining: s.due.filter((id) => s.present.has(id)).length,
    heldErased: s.held.filter((id) => !s.present.has(id)).length,
    notDueErased: s.notDue.filter((id) => !s.present.has(id)).length,
    erasuresNotLoggedOnce:
      s.due.filter((id) => !s.present.has(id) && (s.eraseRows.get(id) ?? 0) !== 1).length +
      [...s.eraseRows.keys()].filter((id) => !s.due.includes(id)).length,
  };
}
