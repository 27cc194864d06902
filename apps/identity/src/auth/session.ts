import type { UserRecord } from '../users/user.entity';
import type { TokenPair } from './token.service';

/** A signed-in session as the sign-up, sign-in and refresh use cases hand it back. */
export interface Session extends TokenPair {
  user: UserRecord;
}
