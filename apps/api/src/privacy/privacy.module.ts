import { Module } from '@nestjs/common';
import { PrivacyModule } from '@app/privacy';
import { PrivacyController } from './privacy.controller';

@Module({ imports: [PrivacyModule], controllers: [PrivacyController] })
export class PrivacyApiModule {}
