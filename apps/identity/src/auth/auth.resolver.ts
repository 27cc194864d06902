import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Authenticated, UseCaseCtx, type UseCaseContext } from '@talent/platform';
import { toUserModel } from '../users/users.service';
import { AuthPayload, RegisterInput } from './auth.dto';
import { RefreshSession } from './refresh-session';
import { RegisterAccount } from './register-account';
import { RevokeMySessions } from './revoke-my-sessions';
import type { Session } from './session';
import { SignIn } from './sign-in';
import { SignOut } from './sign-out';

const toPayload = (s: Session): AuthPayload => ({
  accessToken: s.accessToken,
  refreshToken: s.refreshToken,
  user: Object.assign(toUserModel(s.user), { viewerIsSelf: true }),
});

@Resolver()
export class AuthResolver {
  constructor(
    private readonly registerAccount: RegisterAccount,
    private readonly signIn: SignIn,
    private readonly refreshSession: RefreshSession,
    private readonly signOut: SignOut,
    private readonly revokeMySessionsUseCase: RevokeMySessions,
  ) {}

  @Mutation(() => AuthPayload, { description: 'Creates an account. Throttled per client address (RATE_LIMITED with retryAfterSeconds).' })
  async register(@UseCaseCtx() ctx: UseCaseContext, @Args('input') input: RegisterInput): Promise<AuthPayload> {
    return toPayload(await this.registerAccount.execute(ctx, input));
  }

  @Mutation(() => AuthPayload, {
    description:
      'Signs in. Throttled per account (RATE_LIMITED once too many guesses failed) and per client address (slowed down, never locked out). FORBIDDEN for a disabled account.',
  })
  async login(@UseCaseCtx() ctx: UseCaseContext, @Args('email') email: string, @Args('password') password: string): Promise<AuthPayload> {
    return toPayload(await this.signIn.execute(ctx, { email, password }));
  }

  @Mutation(() => AuthPayload, { description: 'Rotates a refresh token. Failed refreshes are throttled per client address.' })
  async refreshToken(@UseCaseCtx() ctx: UseCaseContext, @Args('refreshToken') refreshToken: string): Promise<AuthPayload> {
    return toPayload(await this.refreshSession.execute(ctx, { refreshToken }));
  }

  @Mutation(() => Boolean, {
    description:
      "Signs out a session: the caller's (from the access token), and the one the given refresh token belongs to. Its refresh tokens stop working, and its access tokens are refused everywhere within seconds.",
  })
  async logout(@UseCaseCtx() ctx: UseCaseContext, @Args('refreshToken', { type: () => String, nullable: true }) refreshToken: string | null): Promise<boolean> {
    await this.signOut.execute(ctx, { refreshToken });
    return true;
  }

  @Mutation(() => Boolean, { description: 'Signs out every session of the caller, on every device: refresh tokens and access tokens alike.' })
  @Authenticated()
  async revokeMySessions(@UseCaseCtx() ctx: UseCaseContext): Promise<boolean> {
    await this.revokeMySessionsUseCase.execute(ctx);
    return true;
  }
}
