import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseRow } from '@app/database';
import { Partnership } from '@app/partnerships';
import { Session } from './session.entity';

/** One rotation of a session's refresh token; only its SHA-256 is stored. */
@Entity('refresh_tokens')
export class RefreshToken extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'refresh_tokens_partnership_id_fkey' })
  partnership?: Partnership;

  @Index('refresh_tokens_session_id_idx')
  @Column('uuid')
  sessionId: string;

  @ManyToOne(() => Session, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'refresh_tokens_session_id_fkey' })
  session?: Session;

  @Index('refresh_tokens_token_hash_idx', { unique: true })
  @Column('text')
  tokenHash: string;

  @Column('timestamptz')
  expiresAt: Date;

  /** set when rotated; presenting a used token again is reuse and revokes the session */
  @Column('timestamptz', { nullable: true })
  usedAt: Date | null;
}
