import { Module } from '@nestjs/common';
import { PrivacyModule } from '@app/privacy';
import { LegalHoldsController } from './legal-holds.controller';
import { PrivacyController } from './privacy.controller';

@Module({ imports: [PrivacyModule], controllers: [PrivacyController, LegalHoldsController] })
export class PrivacyApiModule {}
