import { getMetadataArgsStorage } from 'typeorm';

type EntityClass = new () => object;

/** The classes decorated with @Entity among a module's exports: a feature's table list, never retyped. */
export function entitiesIn(...modules: object[]): EntityClass[] {
  const tables = new Set<unknown>(getMetadataArgsStorage().tables.map((t) => t.target));
  return modules.flatMap((m) => Object.values(m).filter((v): v is EntityClass => tables.has(v)));
}
