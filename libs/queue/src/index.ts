export * from './job-ids';
export * from './job-options';
export * from './job-producer';
export * from './jobs';
export * from './queue-connection';
export * from './queue.module';
