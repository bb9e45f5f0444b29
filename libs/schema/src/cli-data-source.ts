import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions } from '@app/database';
import { ALL_ENTITIES } from '.';

/** The TypeORM CLI's data source: migrations run as the table owner. */
export default new DataSource(
  dataSourceOptions(AppConfig.fromProcess(), { asOwner: true, entities: ALL_ENTITIES }),
);
