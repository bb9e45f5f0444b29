export * from './audit';
export * from './data-source';
export * from './database.module';
export * from './entities';
export * from './page';
export * from './repositories';
export * from './snake-naming.strategy';
export * from './tenant-db';
