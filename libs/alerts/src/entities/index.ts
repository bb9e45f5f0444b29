import { Alert } from './alert.entity';
import { AlertAck } from './alert-ack.entity';
import { AlertCounter } from './alert-counter.entity';
import { TalkGroup } from './talk-group.entity';
import { TalkGroupStore } from './talk-group-store.entity';
import { RadioSettings } from './radio-settings.entity';

export * from './alert-ack.entity';
export * from './alert-counter.entity';
export * from './alert.entity';
export * from './radio-settings.entity';
export * from './talk-group-store.entity';
export * from './talk-group.entity';

/** The tables this feature owns. */
export const ALERTS_ENTITIES = [Alert, AlertAck, AlertCounter, TalkGroup, TalkGroupStore, RadioSettings];
