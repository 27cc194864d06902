import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { RequestMeta } from '@talent/platform';
import { toUserModel } from '../users/users.service';
import { AuthPayload, RegisterInput } from './auth.dto';
import { AuthService, type Session } from './auth.service';

const toPayload = (s: Session): AuthPayload => ({ accessToken: s.accessToken, refreshToken: s.refreshToken, user: Object.assign(toUserModel(s.user), { viewerIsSelf: true }) });

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => AuthPayload)
  async register(@Args('input') input: RegisterInput, @RequestMeta() meta: { traceparent?: string }): Promise<AuthPayload> {
    return toPayload(await this.auth.register(input, meta.traceparent));
  }

  @Mutation(() => AuthPayload)
  async login(
    @Args('email') email: string,
    @Args('password') password: string,
    @RequestMeta() meta: { clientIp: string },
  ): Promise<AuthPayload> {
    return toPayload(await this.auth.login(email, password, meta.clientIp));
  }

  @Mutation(() => AuthPayload)
  async refreshToken(@Args('refreshToken') refreshToken: string): Promise<AuthPayload> {
    return toPayload(await this.auth.refresh(refreshToken));
  }
}
