import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, RequestMeta, UseCaseCtx, type AuthUser, type UseCaseContext } from '@talent/platform';
import { toUserModel } from '../users/users.service';
import { AuthPayload, RegisterInput } from './auth.dto';
import { AuthService, type Session } from './auth.service';
import { RegisterAccount } from './register-account';
import { SessionsService } from './sessions.service';

const toPayload = (s: Session): AuthPayload => ({
  accessToken: s.accessToken,
  refreshToken: s.refreshToken,
  user: Object.assign(toUserModel(s.user), { viewerIsSelf: true }),
});

type Meta = { traceparent?: string; clientIp: string };

@Resolver()
export class AuthResolver {
  constructor(
    private readonly registerAccount: RegisterAccount,
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Mutation(() => AuthPayload, { description: 'Creates an account. Throttled per client address (RATE_LIMITED with retryAfterSeconds).' })
  async register(@UseCaseCtx() ctx: UseCaseContext, @Args('input') input: RegisterInput): Promise<AuthPayload> {
    return toPayload(await this.registerAccount.execute(ctx, input));
  }

  @Mutation(() => AuthPayload, {
    description:
      'Signs in. Throttled per account (RATE_LIMITED once too many guesses failed) and per client address (slowed down, never locked out). FORBIDDEN for a disabled account.',
  })
  async login(@Args('email') email: string, @Args('password') password: string, @RequestMeta() meta: Meta): Promise<AuthPayload> {
    return toPayload(await this.auth.login(email, password, meta.clientIp));
  }

  @Mutation(() => AuthPayload, { description: 'Rotates a refresh token. Failed refreshes are throttled per client address.' })
  async refreshToken(@Args('refreshToken') refreshToken: string, @RequestMeta() meta: Meta): Promise<AuthPayload> {
    return toPayload(await this.auth.refresh(refreshToken, meta.clientIp));
  }

  @Mutation(() => Boolean, {
    description:
      "Signs out a session: the caller's (from the access token), and the one the given refresh token belongs to. Its refresh tokens stop working, and its access tokens are refused everywhere within seconds.",
  })
  async logout(
    @CurrentUser() caller: AuthUser | null,
    @Args('refreshToken', { type: () => String, nullable: true }) refreshToken: string | null,
    @RequestMeta() meta: Meta,
  ): Promise<boolean> {
    await this.sessions.logout(caller, refreshToken, meta.clientIp);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Signs out every session of the caller, on every device: refresh tokens and access tokens alike.' })
  @Authenticated()
  async revokeMySessions(@CurrentUser() caller: AuthUser): Promise<boolean> {
    await this.sessions.revokeAll(caller.id);
    return true;
  }
}
