import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions } from './data-source';

/** The TypeORM CLI's data source: migrations run as the table owner. */
export default new DataSource(dataSourceOptions(AppConfig.fromProcess(), true));
