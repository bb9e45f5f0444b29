import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search for reports, subjects and cases (`?q=` on their lists): full-text documents and trigram
 * names, each an IMMUTABLE function so the GIN index and the query use the same expression
 * (libs/database/src/search.ts writes the queries). Names use the 'simple' configuration (no stemming
 * of people's names); narratives, goods, descriptions and titles 'english'.
 */
const FUNCTIONS = [
  `CREATE FUNCTION incident_search_document(narrative text, goods jsonb) RETURNS tsvector
     LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
     SELECT to_tsvector('english'::regconfig, narrative)
         || jsonb_to_tsvector('english'::regconfig, jsonb_path_query_array(goods, '$[*].description'), '["string"]')
   $$`,
  // array_to_string is only STABLE (element output functions); for text[] it cannot change
  `CREATE FUNCTION subject_search_names(reference text, name text, aliases text[]) RETURNS text
     LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
     SELECT lower(reference || ' ' || coalesce(name, '') || ' ' || array_to_string(aliases, ' '))
   $$`,
  `CREATE FUNCTION subject_search_document(reference text, name text, aliases text[], description jsonb)
     RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
     SELECT to_tsvector('simple'::regconfig, subject_search_names(reference, name, aliases))
         || jsonb_to_tsvector('english'::regconfig, description, '["string"]')
   $$`,
  `CREATE FUNCTION case_search_document(reference text, title text) RETURNS tsvector
     LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
     SELECT to_tsvector('simple'::regconfig, reference) || to_tsvector('english'::regconfig, title)
   $$`,
];

const INDEXES = [
  `CREATE INDEX "incidents_search_idx" ON "incidents" USING gin (incident_search_document("narrative", "goods"))`,
  `CREATE INDEX "subjects_search_idx" ON "subjects"
     USING gin (subject_search_document("reference", "name", "aliases", "description"))`,
  `CREATE INDEX "subjects_search_names_idx" ON "subjects"
     USING gin (subject_search_names("reference", "name", "aliases") gin_trgm_ops)`,
  `CREATE INDEX "cases_search_idx" ON "cases" USING gin (case_search_document("reference", "title"))`,
];

export class AddSearchIndexes1796481000000 implements MigrationInterface {
  name = 'AddSearchIndexes1796481000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // trusted since PostgreSQL 13: the database owner may create it
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    for (const sql of [...FUNCTIONS, ...INDEXES]) {
      await queryRunner.query(sql);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'incidents_search_idx',
      'subjects_search_idx',
      'subjects_search_names_idx',
      'cases_search_idx',
    ]) {
      await queryRunner.query(`DROP INDEX "${index}"`);
    }
    await queryRunner.query(`DROP FUNCTION incident_search_document(text, jsonb)`);
    await queryRunner.query(`DROP FUNCTION subject_search_document(text, text, text[], jsonb)`);
    await queryRunner.query(`DROP FUNCTION subject_search_names(text, text, text[])`);
    await queryRunner.query(`DROP FUNCTION case_search_document(text, text)`);
    // pg_trgm stays: it may have been installed before this migration ran
  }
}
