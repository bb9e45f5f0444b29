import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * References ("C-12345678", "S-0A1B2C") are searched as their letters and digits. The text-search
 * parser read "-12345678" in an all-digit reference as a negative number, so a search for the
 * reference (split into "c" and "12345678") missed about one case in forty and one subject in
 * sixteen. The documents now see the reference with its punctuation as spaces, as the query does.
 */
const REFERENCE_WORDS = `regexp_replace(reference, '[^[:alnum:]]+', ' ', 'g')`;

const functions = (reference: string) => [
  `CREATE OR REPLACE FUNCTION subject_search_names(reference text, name text, aliases text[]) RETURNS text
     LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
     SELECT lower(${reference} || ' ' || coalesce(name, '') || ' ' || array_to_string(aliases, ' '))
   $$`,
  `CREATE OR REPLACE FUNCTION case_search_document(reference text, title text) RETURNS tsvector
     LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
     SELECT to_tsvector('simple'::regconfig, ${reference}) || to_tsvector('english'::regconfig, title)
   $$`,
];

// the indexes over expressions that call the changed functions
const INDEXES = ['subjects_search_idx', 'subjects_search_names_idx', 'cases_search_idx'];

export class SearchReferencesAsWords1796483000000 implements MigrationInterface {
  name = 'SearchReferencesAsWords1796483000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await this.replace(queryRunner, REFERENCE_WORDS);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await this.replace(queryRunner, 'reference');
  }

  private async replace(queryRunner: QueryRunner, reference: string): Promise<void> {
    for (const sql of functions(reference)) {
      await queryRunner.query(sql);
    }
    for (const index of INDEXES) {
      await queryRunner.query(`REINDEX INDEX "${index}"`);
    }
  }
}
