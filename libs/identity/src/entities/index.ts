import { entitiesIn } from '@app/database';
import * as device from './device.entity';
import * as refreshToken from './refresh-token.entity';
import * as session from './session.entity';
import * as user from './user.entity';

export * from './device.entity';
export * from './refresh-token.entity';
export * from './session.entity';
export * from './user.entity';

/** The tables this feature owns: every @Entity class its entity files export. */
export const IDENTITY_ENTITIES = entitiesIn(device, refreshToken, session, user);
