import { User } from './user.entity';
import { Session } from './session.entity';
import { Device } from './device.entity';
import { RefreshToken } from './refresh-token.entity';

export * from './device.entity';
export * from './refresh-token.entity';
export * from './session.entity';
export * from './user.entity';

/** The tables this feature owns. */
export const IDENTITY_ENTITIES = [User, Session, Device, RefreshToken];
