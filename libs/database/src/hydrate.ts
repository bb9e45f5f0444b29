import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * A row a statement returned (`RETURNING *`), converted as TypeORM converts the rows it loads
 * (dates, bigints, jsonb, enum arrays), so a write needs no second round trip to read itself back.
 */
export function hydrate<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  raw: Record<string, unknown>,
): T {
  const metadata = em.connection.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    column.setEntityValue(entity, em.connection.driver.prepareHydratedValue(raw[column.databaseName], column));
  }
  return entity;
}
