import { entitiesIn } from '@app/database';
import * as alertAck from './alert-ack.entity';
import * as alertCounter from './alert-counter.entity';
import * as alert from './alert.entity';
import * as radioSettings from './radio-settings.entity';
import * as talkGroupStore from './talk-group-store.entity';
import * as talkGroup from './talk-group.entity';

export * from './alert-ack.entity';
export * from './alert-counter.entity';
export * from './alert.entity';
export * from './radio-settings.entity';
export * from './talk-group-store.entity';
export * from './talk-group.entity';

/** The tables this feature owns: every @Entity class its entity files export. */
export const ALERTS_ENTITIES = entitiesIn(
  alertAck,
  alertCounter,
  alert,
  radioSettings,
  talkGroupStore,
  talkGroup,
);
