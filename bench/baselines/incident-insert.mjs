// The INSERT shared by B-pg and B-pgbench: the same columns the api writes for a report.
export const INSERT_INCIDENT = `INSERT INTO incidents (partnership_id, store_id, status, types, triggers, weapon, injury,
  goods, value_pence, recovered_value_pence, occurred_at, reported_at, narrative, offenders, offender_id,
  witnesses, police_reported, crime_reference, police_attended, cctv_available, cctv_overwrite_on,
  cctv_clock_offset_seconds, victim_support_offered, reported_by, reported_by_kind)
VALUES ($1, $2, 'submitted', $3::incident_type[], $4::incident_trigger[], $5::weapon_kind, $6::injury_level,
  $7::jsonb, $8, $9, $10, now(), $11, $12::jsonb, $13, $14::jsonb, $15, $16, $17, $18, $19, $20, $21, $22, $23)
RETURNING id`;

/** The positional values for one request body (the same body the api receives). */
export function insertValues(body, ids) {
  let value = 0;
  let recovered = 0;
  const goods = body.goods.map((g) => {
    value += g.quantity * g.unitPricePence;
    recovered += (g.recoveredQuantity ?? 0) * g.unitPricePence;
    return { description: g.description, sku: g.sku ?? null, quantity: g.quantity, unitPricePence: g.unitPricePence, recoveredQuantity: g.recoveredQuantity ?? 0 };
  });
  return [
    ids.partnershipId,
    ids.storeId,
    `{${body.types.join(',')}}`,
    `{${body.triggers.join(',')}}`,
    body.weapon,
    body.injury,
    JSON.stringify(goods),
    value,
    recovered,
    body.occurredAt,
    body.narrative,
    JSON.stringify(body.offenders),
    body.offenderId ?? null,
    JSON.stringify(body.witnesses),
    body.policeReported,
    body.crimeReference ?? null,
    body.policeAttended,
    body.cctvAvailable,
    body.cctvOverwriteOn ?? null,
    body.cctvClockOffsetSeconds ?? null,
    body.victimSupportOffered,
    ids.actorId,
    'user',
  ];
}
