import { Module } from '@nestjs/common';
import { AccessLogRepository } from '@app/database';
import { AccessLogController } from './access-log.controller';

@Module({ controllers: [AccessLogController], providers: [AccessLogRepository] })
export class AuditModule {}
