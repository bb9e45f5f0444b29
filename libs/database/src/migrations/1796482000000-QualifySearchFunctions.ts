import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * subject_search_document called subject_search_names without its schema. pg_restore runs with an
 * empty search_path, so rebuilding subjects_search_idx from a pg_dump failed ("function
 * subject_search_names(text, text, text[]) does not exist") and no backup of the hub could be
 * restored (found by R7, test/reliability/r7-backup-restore). The body now names public; the
 * result is the same for every input, so the index stays valid without a rebuild. The other
 * search functions call only pg_catalog, which is always searched.
 */
const documentWith = (names: string) =>
  `CREATE OR REPLACE FUNCTION subject_search_document(reference text, name text, aliases text[], description jsonb)
     RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
     SELECT to_tsvector('simple'::regconfig, ${names}(reference, name, aliases))
         || jsonb_to_tsvector('english'::regconfig, description, '["string"]')
   $$`;

export class QualifySearchFunctions1796482000000 implements MigrationInterface {
  name = 'QualifySearchFunctions1796482000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(documentWith('public.subject_search_names'));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(documentWith('subject_search_names'));
  }
}
