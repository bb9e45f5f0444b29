import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A message written in the same transaction as the change it announces; the worker's relay
 * publishes it (a BullMQ job or a realtime event) and stamps `published_at`.
 */
@Entity('outbox')
@Index('outbox_unpublished_idx', ['createdAt'], { where: 'published_at IS NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  /** 'job' or 'realtime' */
  @Column('text')
  kind: 'job' | 'realtime';

  /** the job name or the socket event name */
  @Column('text')
  name: string;

  /** for realtime messages: the rooms to emit to */
  @Column('text', { array: true, default: () => "'{}'" })
  rooms: string[];

  @Column('jsonb')
  payload: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  publishedAt: Date | null;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('text', { nullable: true })
  lastError: string | null;
}
