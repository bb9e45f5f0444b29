import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../migrations-rls';

/**
 * Impact statements (ISB or VPS) given with a report, not only in answer to a police request.
 * Kept as given: the app role may only add and read them, for its own partnership.
 */
export class AddImpactStatements1796473190881 implements MigrationInterface {
  name = 'AddImpactStatements1796473190881';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."impact_kind" AS ENUM('isb', 'vps')`);
    await queryRunner.query(`
      CREATE TABLE "impact_statements" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "partnership_id" uuid NOT NULL,
        "incident_id" uuid NOT NULL,
        "kind" "public"."impact_kind" NOT NULL,
        "made_by" text NOT NULL,
        "text" text NOT NULL,
        "recorded_by" uuid,
        "recorded_by_kind" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_bc2c06b6d98bea5b7941986b631" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "impact_statements_incident_id_idx" ON "impact_statements" ("incident_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "impact_statements" ADD CONSTRAINT "impact_statements_incident_id_fkey"
         FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await enableTenantRls(queryRunner, 'impact_statements', { privileges: 'SELECT, INSERT' });
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'impact_statements');
    await queryRunner.query(`DROP TABLE "impact_statements"`);
    await queryRunner.query(`DROP TYPE "public"."impact_kind"`);
  }
}
