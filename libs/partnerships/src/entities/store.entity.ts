import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { BaseRow } from '@app/database';
import { MemberBusiness } from './member-business.entity';
import { Partnership } from './partnership.entity';

@Entity('stores')
// the target of tenant-carrying references (a report names its store with its partnership)
@Unique('stores_partnership_id_id_key', ['partnershipId', 'id'])
export class Store extends BaseRow {
  @Index('stores_partnership_id_idx')
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'stores_partnership_id_fkey' })
  partnership?: Partnership;

  @Column('uuid')
  businessId: string;

  @ManyToOne(() => MemberBusiness, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'business_id', foreignKeyConstraintName: 'stores_business_id_fkey' })
  business?: MemberBusiness;

  @Column('text')
  name: string;

  /** the site: street address or shopping-centre unit */
  @Column('text')
  site: string;

  @Column('text')
  postcode: string;

  @Column('double precision', { nullable: true })
  latitude: number | null;

  @Column('double precision', { nullable: true })
  longitude: number | null;
}
