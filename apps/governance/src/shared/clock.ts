import { Injectable } from '@nestjs/common';

/**
 * The time governance decides by (snapshots, voting windows, the timelock, jury deadlines and
 * draws). Injected so that integration tests can move it; the service uses the system clock.
 */
@Injectable()
export class GovernanceClock {
  now(): Date {
    return new Date();
  }
}
