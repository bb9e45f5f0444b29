import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Role } from '@app/auth';
import { BaseRow } from '@app/database';
import { Partnership, Store } from '@app/partnerships';

@Entity('users')
@Check(
  'users_shop_roles_have_store_chk',
  `role NOT IN ('shopworker', 'store_manager') OR store_id IS NOT NULL`,
)
export class User extends BaseRow {
  @Index('users_partnership_id_idx')
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'users_partnership_id_fkey' })
  partnership?: Partnership;

  @Column('uuid', { nullable: true })
  storeId: string | null;

  @ManyToOne(() => Store, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id', foreignKeyConstraintName: 'users_store_id_fkey' })
  store?: Store;

  /** stored lower-case; unique across the hub because login precedes knowing the tenant */
  @Index('users_email_idx', { unique: true })
  @Column('text')
  email: string;

  @Column('text')
  displayName: string;

  @Column({ type: 'enum', enum: Role, enumName: 'user_role' })
  role: Role;

  @Column('text', { select: false })
  passwordHash: string;

  @Column('timestamptz', { nullable: true })
  disabledAt: Date | null;
}
