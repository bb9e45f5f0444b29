import { Module } from '@nestjs/common';
import { SubjectAccessRepository } from '@app/database';
import { PrivacyController } from './privacy.controller';

@Module({ controllers: [PrivacyController], providers: [SubjectAccessRepository] })
export class PrivacyModule {}
