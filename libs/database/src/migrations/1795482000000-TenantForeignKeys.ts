import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenant-carrying references: (partnership_id, <column>) must name a row of the same partnership. */
const REFERENCES = [
  { table: 'incidents', column: 'offender_id', target: 'subjects' },
  { table: 'alerts', column: 'offender_profile_id', target: 'subjects' },
  { table: 'cases', column: 'subject_id', target: 'subjects' },
  { table: 'cases', column: 'serial_flag_id', target: 'serial_flags' },
];
const TARGETS = ['subjects', 'serial_flags'];

/**
 * offenderId on incidents and offenderProfileId on alerts stored any uuid: another partnership's
 * subject or nothing at all; cases' subject and serial flag had no key either. Composite foreign
 * keys with partnership_id make both impossible.
 * Added NOT VALID, then validated where the existing rows allow, so a database holding old
 * dangling references still migrates (new writes are checked either way) and says so.
 */
export class TenantForeignKeys1795482000000 implements MigrationInterface {
  name = 'TenantForeignKeys1795482000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const target of TARGETS) {
      await queryRunner.query(
        `ALTER TABLE "${target}" ADD CONSTRAINT "${target}_partnership_id_id_key" UNIQUE ("partnership_id", "id")`,
      );
    }
    for (const { table, column, target } of REFERENCES) {
      const name = `${table}_${column}_fkey`;
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${name}" FOREIGN KEY ("partnership_id", "${column}")
           REFERENCES "${target}" ("partnership_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION NOT VALID`,
      );
      await queryRunner.query(`
        DO $$ BEGIN
          ALTER TABLE "${table}" VALIDATE CONSTRAINT "${name}";
        EXCEPTION WHEN foreign_key_violation THEN
          RAISE WARNING '${table}.${column} holds references to nothing in its partnership; ${name} checks new rows only until they are cleared';
        END $$`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const { table, column } of [...REFERENCES].reverse()) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${table}_${column}_fkey"`);
    }
    for (const target of TARGETS) {
      await queryRunner.query(`ALTER TABLE "${target}" DROP CONSTRAINT "${target}_partnership_id_id_key"`);
    }
  }
}
