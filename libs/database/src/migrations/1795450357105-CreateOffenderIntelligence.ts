import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../migrations-rls';

/** Tenant tables and the app role's privileges on them. */
const GRANTS: [string, string][] = [
  ['subjects', 'SELECT, INSERT, UPDATE, DELETE'],
  ['subject_images', 'SELECT, INSERT, DELETE'],
  ['subject_incidents', 'SELECT, INSERT, UPDATE, DELETE'],
  ['subject_aggregates', 'SELECT, INSERT, UPDATE, DELETE'],
  ['galleries', 'SELECT, INSERT, UPDATE'],
  ['gallery_listings', 'SELECT, INSERT, UPDATE'],
  ['serial_flags', 'SELECT, INSERT, UPDATE'],
  ['exclusion_notices', 'SELECT, INSERT, UPDATE'],
  ['offender_settings', 'SELECT, INSERT, UPDATE'],
];

/** The law as data (domain brief 4): effective-dated, per jurisdiction; commencements admin-set. */
const RULES: [string, string, unknown, string | null, string, string, boolean][] = [
  [
    'england_wales',
    's22a.threshold_pence',
    20000,
    '2014-05-13',
    'proceedings_date',
    "Magistrates' Courts Act 1980 s.22A (inserted by the Anti-social Behaviour, Crime and Policing Act 2014 s.176): theft of goods offered for sale worth £200 or less is low-value shoplifting; charged together, the values aggregate. In force for proceedings begun from 13 May 2014. Ends on the commencement of its repeal.",
    false,
  ],
  [
    'england_wales',
    's22a.repeal',
    { effect: 'all shop theft triable either way, maximum 7 years, whatever the value' },
    null,
    'offence_date',
    'Crime and Policing Act 2026 (c.20): repeal of s.22A MCA 1980 and s.176 ASBCPA 2014. Commencement by regulations: set the date when known; never applied to earlier conduct.',
    true,
  ],
  [
    'england_wales',
    'retail_worker_offence',
    { offence: 'assault on a retail worker', acts: ['violence_injury', 'violence_no_injury'] },
    null,
    'offence_date',
    'Crime and Policing Act 2026 (c.20), assault on a retail worker (Bill clause 14): summary only; CBO presumed on conviction. Assault only. Commencement by regulations: set the date when known.',
    true,
  ],
  [
    'scotland',
    's22a.threshold_pence',
    null,
    null,
    'offence_date',
    "Magistrates' Courts Act 1980 s.22A extends to England and Wales only: no low-value shoplifting threshold in Scotland (COPFS prosecutes).",
    false,
  ],
  [
    'scotland',
    'retail_worker_offence',
    {
      offence: 'assaulting, threatening or abusing a retail worker',
      acts: ['violence_injury', 'violence_no_injury', 'threat', 'verbal_abuse', 'hate_aggravated_abuse'],
    },
    '2021-08-24',
    'offence_date',
    'Protection of Workers (Retail and Age-restricted Goods and Services) (Scotland) Act 2021, in force 24 August 2021: assault, threats or abuse of a retail worker; aggravated when enforcing a statutory age restriction.',
    false,
  ],
  [
    'northern_ireland',
    's22a.threshold_pence',
    null,
    null,
    'offence_date',
    "Magistrates' Courts Act 1980 s.22A does not apply in Northern Ireland (PPS prosecutes).",
    false,
  ],
  [
    'northern_ireland',
    'retail_worker_offence',
    null,
    null,
    'offence_date',
    'Neither the Crime and Policing Act 2026 retail-worker offence nor the Scottish 2021 Act applies in Northern Ireland.',
    false,
  ],
];

/** Offender intelligence: subjects, images, links, aggregates, galleries, serial flags, exclusions, legal rules. */
export class CreateOffenderIntelligence1795450357105 implements MigrationInterface {
  name = 'CreateOffenderIntelligence1795450357105';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."subject_kind" AS ENUM('known', 'id_sought')
        `);
    await queryRunner.query(`
            CREATE TABLE "subjects" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "partnership_id" uuid NOT NULL,
                "kind" "public"."subject_kind" NOT NULL,
                "reference" text NOT NULL,
                "name" text,
                "aliases" text array NOT NULL DEFAULT '{}',
                "description" jsonb NOT NULL,
                "vehicles" jsonb NOT NULL DEFAULT '[]',
                "vehicle_registrations" text array NOT NULL DEFAULT '{}',
                "juvenile" boolean NOT NULL DEFAULT false,
                "created_by" uuid NOT NULL,
                CONSTRAINT "subjects_known_named_chk" CHECK (
                    kind <> 'known'
                    OR name IS NOT NULL
                ),
                CONSTRAINT "PK_1a023685ac2b051b4e557b0b280" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "subjects_partnership_id_created_at_idx" ON "subjects" ("partnership_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "subject_images" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "partnership_id" uuid NOT NULL,
                "subject_id" uuid NOT NULL,
                "sha256" text NOT NULL,
                "view_sha256" text,
                "media_type" text NOT NULL,
                "size_bytes" bigint NOT NULL,
                "uploaded_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_cfaa6a6b535a375879cc4e088b6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "subject_images_subject_id_sha256_idx" ON "subject_images" ("subject_id", "sha256")
        `);
    await queryRunner.query(`
            CREATE TABLE "subject_incidents" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "partnership_id" uuid NOT NULL,
                "subject_id" uuid NOT NULL,
                "incident_id" uuid NOT NULL,
                "linked_by" uuid NOT NULL,
                "note" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "store_id" uuid NOT NULL,
                "value_pence" bigint NOT NULL DEFAULT '0',
                "theft_shop" boolean NOT NULL DEFAULT false,
                "counted" boolean NOT NULL DEFAULT false,
                "violence" boolean NOT NULL DEFAULT false,
                "retail_worker_offence" boolean NOT NULL DEFAULT false,
                CONSTRAINT "PK_5e34ef22bccfd1432af3aa70ee5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "subject_incidents_partnership_id_occurred_at_idx" ON "subject_incidents" ("partnership_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "subject_incidents_incident_id_idx" ON "subject_incidents" ("incident_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "subject_incidents_subject_id_occurred_at_idx" ON "subject_incidents" ("subject_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "subject_incidents_subject_id_incident_id_idx" ON "subject_incidents" ("subject_id", "incident_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "subject_aggregates" (
                "subject_id" uuid NOT NULL,
                "partnership_id" uuid NOT NULL,
                "incident_count" integer NOT NULL DEFAULT '0',
                "total_value_pence" bigint NOT NULL DEFAULT '0',
                "store_ids" uuid array NOT NULL DEFAULT '{}',
                "first_seen_at" TIMESTAMP WITH TIME ZONE,
                "last_seen_at" TIMESTAMP WITH TIME ZONE,
                "violence" boolean NOT NULL DEFAULT false,
                "retail_worker_offences" integer NOT NULL DEFAULT '0',
                "version" integer NOT NULL DEFAULT '0',
                "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c8f884b721ba43e38213b814a53" PRIMARY KEY ("subject_id")
            )
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."appeal_status" AS ENUM('none', 'lodged', 'decided')
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."appeal_outcome" AS ENUM('upheld', 'overturned', 'varied')
        `);
    await queryRunner.query(`
            CREATE TABLE "exclusion_notices" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "partnership_id" uuid NOT NULL,
                "subject_id" uuid NOT NULL,
                "store_ids" uuid array NOT NULL DEFAULT '{}',
                "area" text,
                "reason" text NOT NULL,
                "incident_ids" uuid array NOT NULL DEFAULT '{}',
                "served_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "served_by_name" text NOT NULL,
                "service_method" text NOT NULL,
                "acknowledgement" text,
                "proof_sha256" text,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "appeal_status" "public"."appeal_status" NOT NULL DEFAULT 'none',
                "appeal_outcome" "public"."appeal_outcome",
                "appeal_decided_at" TIMESTAMP WITH TIME ZONE,
                "appeal_note" text,
                "issued_by" uuid NOT NULL,
                CONSTRAINT "PK_747122a12c65da2ad267df026ba" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "exclusion_notices_partnership_id_expires_at_idx" ON "exclusion_notices" ("partnership_id", "expires_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "exclusion_notices_subject_id_idx" ON "exclusion_notices" ("subject_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "galleries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "partnership_id" uuid NOT NULL,
                "name" text NOT NULL,
                "purpose" text,
                "default_listing_days" integer NOT NULL,
                "audience_roles" text array NOT NULL DEFAULT '{}',
                "created_by" uuid NOT NULL,
                CONSTRAINT "PK_86b77299615c92db3d68c9c7919" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "galleries_partnership_id_name_idx" ON "galleries" ("partnership_id", "name")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."listing_state" AS ENUM('pending', 'listed', 'rejected', 'delisted')
        `);
    await queryRunner.query(`
            CREATE TABLE "gallery_listings" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "partnership_id" uuid NOT NULL,
                "gallery_id" uuid NOT NULL,
                "subject_id" uuid NOT NULL,
                "state" "public"."listing_state" NOT NULL,
                "reason" text NOT NULL,
                "incident_ids" uuid array NOT NULL,
                "proposed_by" uuid NOT NULL,
                "reviewed_by" uuid,
                "reviewed_at" TIMESTAMP WITH TIME ZONE,
                "review_note" text,
                "listed_at" TIMESTAMP WITH TIME ZONE,
                "expires_at" TIMESTAMP WITH TIME ZONE,
                "renewed_at" TIMESTAMP WITH TIME ZONE,
                "delisted_by" uuid,
                "delisted_at" TIMESTAMP WITH TIME ZONE,
                "delist_reason" text,
                CONSTRAINT "PK_2eb4a8c7904a8e1f09a54f5798d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "gallery_listings_open_idx" ON "gallery_listings" ("gallery_id", "subject_id")
            WHERE state IN ('pending', 'listed')
        `);
    await queryRunner.query(`
            CREATE INDEX "gallery_listings_subject_id_idx" ON "gallery_listings" ("subject_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "gallery_listings_gallery_id_state_idx" ON "gallery_listings" ("gallery_id", "state")
        `);
    await queryRunner.query(`
            CREATE TABLE "legal_rules" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "jurisdiction" "public"."jurisdiction" NOT NULL,
                "key" text NOT NULL,
                "value" jsonb,
                "effective_from" date,
                "effective_to" date,
                "key_date" text NOT NULL,
                "source" text NOT NULL,
                "admin_set" boolean NOT NULL DEFAULT false,
                CONSTRAINT "PK_14d59ce50f7574dbf2d7961eedf" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "legal_rules_jurisdiction_key_idx" ON "legal_rules" ("jurisdiction", "key")
        `);
    await queryRunner.query(`
            CREATE TABLE "offender_settings" (
                "partnership_id" uuid NOT NULL,
                "threshold_pence" integer NOT NULL DEFAULT '20000',
                "window_days" integer NOT NULL DEFAULT '90',
                "min_incidents" integer NOT NULL DEFAULT '3',
                "exclusion_months" integer NOT NULL DEFAULT '12',
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_262dfa38078482ba39ccc12e8d6" PRIMARY KEY ("partnership_id")
            )
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."serial_flag_state" AS ENUM(
                'new',
                'reviewed',
                'case_opened',
                'dismissed',
                'withdrawn'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "serial_flags" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "partnership_id" uuid NOT NULL,
                "subject_id" uuid NOT NULL,
                "state" "public"."serial_flag_state" NOT NULL,
                "incident_ids" uuid array NOT NULL,
                "total_pence" bigint NOT NULL,
                "crossing_incident_ids" uuid array NOT NULL,
                "crossing_total_pence" bigint NOT NULL,
                "over_threshold_incident_ids" uuid array NOT NULL DEFAULT '{}',
                "store_ids" uuid array NOT NULL,
                "window_from" TIMESTAMP WITH TIME ZONE NOT NULL,
                "window_to" TIMESTAMP WITH TIME ZONE NOT NULL,
                "threshold_applies" boolean NOT NULL,
                "legal_consequence" text NOT NULL,
                "rule" jsonb NOT NULL,
                "alert_id" uuid,
                "decided_by" uuid,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "decision_note" text,
                CONSTRAINT "PK_b20687980c0bbb9b81dd9271b47" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "serial_flags_open_idx" ON "serial_flags" ("subject_id")
            WHERE state IN ('new', 'reviewed')
        `);
    await queryRunner.query(`
            CREATE INDEX "serial_flags_subject_id_idx" ON "serial_flags" ("subject_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "serial_flags_partnership_id_created_at_idx" ON "serial_flags" ("partnership_id", "created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "subjects"
            ADD CONSTRAINT "subjects_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "subject_images"
            ADD CONSTRAINT "subject_images_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "subjects"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "subject_incidents"
            ADD CONSTRAINT "subject_incidents_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "subjects"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "subject_incidents"
            ADD CONSTRAINT "subject_incidents_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "subject_aggregates"
            ADD CONSTRAINT "subject_aggregates_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "subjects"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "exclusion_notices"
            ADD CONSTRAINT "exclusion_notices_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "subjects"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "galleries"
            ADD CONSTRAINT "galleries_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "gallery_listings"
            ADD CONSTRAINT "gallery_listings_gallery_id_fkey" FOREIGN KEY ("gallery_id") REFERENCES "galleries"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "gallery_listings"
            ADD CONSTRAINT "gallery_listings_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "subjects"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "offender_settings"
            ADD CONSTRAINT "offender_settings_partnership_id_fkey" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "serial_flags"
            ADD CONSTRAINT "serial_flags_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "subjects"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);

    // Hand-written: tenant isolation and grants, registration matching, the legal rules.
    for (const [table, privileges] of GRANTS) {
      await enableTenantRls(queryRunner, table, { privileges });
    }
    await queryRunner.query(`GRANT SELECT, UPDATE ON "legal_rules" TO hub_app`);
    await queryRunner.query(
      `CREATE INDEX "subjects_vehicle_registrations_idx" ON "subjects" USING gin ("vehicle_registrations")`,
    );
    for (const [jurisdiction, key, value, from, keyDate, source, adminSet] of RULES) {
      await queryRunner.query(
        `INSERT INTO legal_rules (jurisdiction, key, value, effective_from, key_date, source, admin_set)
                 VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)`,
        [jurisdiction, key, value === null ? null : JSON.stringify(value), from, keyDate, source, adminSet],
      );
    }
    // A change to a linked incident's facts refreshes its subjects through the outbox, in the
    // changing transaction: the aggregation job recomputes from committed rows.
    await queryRunner.query(`
            CREATE FUNCTION incidents_refresh_subjects() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF (NEW.status, NEW.types, NEW.value_pence, NEW.occurred_at, NEW.store_id, NEW.injury)
                 IS DISTINCT FROM (OLD.status, OLD.types, OLD.value_pence, OLD.occurred_at, OLD.store_id, OLD.injury) THEN
                INSERT INTO outbox (partnership_id, kind, name, rooms, payload)
                SELECT si.partnership_id, 'job', 'offender-refresh-subject', '{}',
                       jsonb_build_object('partnershipId', si.partnership_id, 'subjectId', si.subject_id,
                                          'requestId', 'incident-' || NEW.id::text)
                FROM subject_incidents si WHERE si.incident_id = NEW.id;
              END IF;
              RETURN NULL;
            END $$`);
    await queryRunner.query(
      `CREATE TRIGGER incidents_refresh_subjects AFTER UPDATE ON incidents FOR EACH ROW EXECUTE FUNCTION incidents_refresh_subjects()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER incidents_refresh_subjects ON incidents`);
    await queryRunner.query(`DROP FUNCTION incidents_refresh_subjects()`);
    await queryRunner.query(`DROP INDEX "public"."subjects_vehicle_registrations_idx"`);
    await queryRunner.query(`REVOKE ALL ON "legal_rules" FROM hub_app`);
    for (const [table] of GRANTS) {
      await disableTenantRls(queryRunner, table);
    }
    await queryRunner.query(`
            ALTER TABLE "serial_flags" DROP CONSTRAINT "serial_flags_subject_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "offender_settings" DROP CONSTRAINT "offender_settings_partnership_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "gallery_listings" DROP CONSTRAINT "gallery_listings_subject_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "gallery_listings" DROP CONSTRAINT "gallery_listings_gallery_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "galleries" DROP CONSTRAINT "galleries_partnership_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "exclusion_notices" DROP CONSTRAINT "exclusion_notices_subject_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "subject_aggregates" DROP CONSTRAINT "subject_aggregates_subject_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "subject_incidents" DROP CONSTRAINT "subject_incidents_incident_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "subject_incidents" DROP CONSTRAINT "subject_incidents_subject_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "subject_images" DROP CONSTRAINT "subject_images_subject_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "subjects" DROP CONSTRAINT "subjects_partnership_id_fkey"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."serial_flags_partnership_id_created_at_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."serial_flags_subject_id_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."serial_flags_open_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "serial_flags"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."serial_flag_state"
        `);
    await queryRunner.query(`
            DROP TABLE "offender_settings"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."legal_rules_jurisdiction_key_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "legal_rules"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."gallery_listings_gallery_id_state_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."gallery_listings_subject_id_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."gallery_listings_open_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "gallery_listings"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."listing_state"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."galleries_partnership_id_name_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "galleries"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."exclusion_notices_subject_id_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."exclusion_notices_partnership_id_expires_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "exclusion_notices"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."appeal_outcome"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."appeal_status"
        `);
    await queryRunner.query(`
            DROP TABLE "subject_aggregates"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."subject_incidents_subject_id_incident_id_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."subject_incidents_subject_id_occurred_at_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."subject_incidents_incident_id_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."subject_incidents_partnership_id_occurred_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "subject_incidents"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."subject_images_subject_id_sha256_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "subject_images"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."subjects_partnership_id_created_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "subjects"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."subject_kind"
        `);
  }
}
