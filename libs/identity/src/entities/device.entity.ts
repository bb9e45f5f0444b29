import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseRow } from '@app/database';
import { Partnership, Store } from '@app/partnerships';

/** An enrolled till tablet: a store-scoped principal for shopworkers without accounts. */
@Entity('devices')
export class Device extends BaseRow {
  @Index('devices_partnership_id_idx')
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'devices_partnership_id_fkey' })
  partnership?: Partnership;

  @Column('uuid')
  storeId: string;

  @ManyToOne(() => Store, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'store_id', foreignKeyConstraintName: 'devices_store_id_fkey' })
  store?: Store;

  @Column('text')
  name: string;

  /** SHA-256 of the random credential secret (high entropy, so no slow hash is needed) */
  @Column('text', { select: false })
  secretHash: string;

  @Column('uuid')
  enrolledBy: string;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  lastSeenAt: Date | null;
}
