import { Column, Entity, Index } from 'typeorm';
import { BaseRow } from '@app/database';

export enum Jurisdiction {
  EnglandWales = 'england_wales',
  Scotland = 'scotland',
  NorthernIreland = 'northern_ireland',
}

/** A Business Crime Reduction Partnership: the tenant. */
@Entity('partnerships')
export class Partnership extends BaseRow {
  @Column('text')
  name: string;

  @Index('partnerships_slug_idx', { unique: true })
  @Column('text')
  slug: string;

  @Column('text')
  policeForceArea: string;

  @Column({ type: 'enum', enum: Jurisdiction, enumName: 'jurisdiction' })
  jurisdiction: Jurisdiction;

  @Column('text')
  region: string;
}
