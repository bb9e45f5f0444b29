import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An Idempotency-Key with the fingerprint of the body it came with and the response it produced,
 * written in the same transaction as the change. Scoped to (partnership, principal, key).
 */
@Entity('idempotency_keys')
@Index('idempotency_keys_partnership_id_principal_id_key_idx', ['partnershipId', 'principalId', 'key'], {
  unique: true,
})
@Index('idempotency_keys_created_at_idx', ['createdAt'])
export class IdempotencyKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  /** the user or tablet that sent it */
  @Column('uuid')
  principalId: string;

  @Column('text')
  key: string;

  /** SHA-256 of method, route and the canonical JSON body */
  @Column('text')
  fingerprint: string;

  /** 'in_flight' until the response is recorded (both inside one transaction) */
  @Column('text')
  state: 'in_flight' | 'completed';

  @Column('int', { nullable: true })
  statusCode: number | null;

  /** the exact response bytes (UTF-8 JSON) */
  @Column('text', { nullable: true })
  responseBody: string | null;

  @Column('text', { nullable: true })
  resourceType: string | null;

  @Column('uuid', { nullable: true })
  resourceId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
