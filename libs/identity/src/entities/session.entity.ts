import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseRow } from '@app/database';
import { Device } from './device.entity';
import { Partnership } from '@app/partnerships';
import { User } from './user.entity';

/** A login: a user's refresh-token family, or a tablet's device login. Access tokens carry its id. */
@Entity('sessions')
@Check('sessions_one_principal_chk', `(user_id IS NULL) <> (device_id IS NULL)`)
export class Session extends BaseRow {
  @Index('sessions_partnership_id_idx')
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'sessions_partnership_id_fkey' })
  partnership?: Partnership;

  @Index('sessions_user_id_idx')
  @Column('uuid', { nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'sessions_user_id_fkey' })
  user?: User;

  @Index('sessions_device_id_idx')
  @Column('uuid', { nullable: true })
  deviceId: string | null;

  @ManyToOne(() => Device, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'sessions_device_id_fkey' })
  device?: Device;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @Column('text', { nullable: true })
  revokedReason: string | null;
}
