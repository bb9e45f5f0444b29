import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseRow } from '@app/database';
import { Partnership } from '@app/partnerships';
import { Subject } from './subject.entity';

/** A set of subjects members may see (e.g. excluded offenders, prolific shoplifters). */
@Entity('galleries')
@Index('galleries_partnership_id_name_idx', ['partnershipId', 'name'], { unique: true })
export class Gallery extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'galleries_partnership_id_fkey' })
  partnership?: Partnership;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  purpose: string | null;

  /** how long a listing lasts unless renewed with new incidents */
  @Column('int')
  defaultListingDays: number;

  /** member roles who need to see it (coordinators and admins always do) */
  @Column('text', { array: true, default: () => "'{}'" })
  audienceRoles: string[];

  @Column('uuid')
  createdBy: string;
}

export enum ListingState {
  /** proposed, awaiting a coordinator's review */
  Pending = 'pending',
  Listed = 'listed',
  Rejected = 'rejected',
  Delisted = 'delisted',
}

/**
 * A subject in a gallery. Current while `listed` and before `expires_at` (read against the clock,
 * never flipped by a job). Proposed with a reason and incidents; a second person reviews.
 */
@Entity('gallery_listings')
@Index('gallery_listings_gallery_id_state_idx', ['galleryId', 'state'])
@Index('gallery_listings_subject_id_idx', ['subjectId'])
@Index('gallery_listings_open_idx', ['galleryId', 'subjectId'], {
  unique: true,
  where: `state IN ('pending', 'listed')`,
})
export class GalleryListing extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  galleryId: string;

  @ManyToOne(() => Gallery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gallery_id', foreignKeyConstraintName: 'gallery_listings_gallery_id_fkey' })
  gallery?: Gallery;

  @Column('uuid')
  subjectId: string;

  @ManyToOne(() => Subject, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subject_id', foreignKeyConstraintName: 'gallery_listings_subject_id_fkey' })
  subject?: Subject;

  @Column({ type: 'enum', enum: ListingState, enumName: 'listing_state' })
  state: ListingState;

  @Column('text')
  reason: string;

  /** the incidents the decision rests on (linked to the subject) */
  @Column('uuid', { array: true })
  incidentIds: string[];

  @Column('uuid')
  proposedBy: string;

  @Column('uuid', { nullable: true })
  reviewedBy: string | null;

  @Column('timestamptz', { nullable: true })
  reviewedAt: Date | null;

  @Column('text', { nullable: true })
  reviewNote: string | null;

  @Column('timestamptz', { nullable: true })
  listedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  expiresAt: Date | null;

  @Column('timestamptz', { nullable: true })
  renewedAt: Date | null;

  @Column('uuid', { nullable: true })
  delistedBy: string | null;

  @Column('timestamptz', { nullable: true })
  delistedAt: Date | null;

  @Column('text', { nullable: true })
  delistReason: string | null;
}
