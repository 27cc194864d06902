import { Injectable } from '@nestjs/common';
import { callerOf, type UseCase, type UseCaseContext } from '@talent/platform';
import { SessionsService } from './sessions.service';

/** Use case: the caller signs out every session of theirs, on every device: refresh tokens and access tokens alike. */
@Injectable()
export class RevokeMySessions implements UseCase<void, void> {
  constructor(private readonly sessions: SessionsService) {}

  async execute(ctx: UseCaseContext): Promise<void> {
    await this.sessions.revokeAll(callerOf(ctx).id);
  }
}
