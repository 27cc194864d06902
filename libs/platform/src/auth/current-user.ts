import { applyDecorators, createParamDecorator, Injectable, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Role } from '@talent/events';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { AuthUser } from './auth-user';
import type { RequestContext } from '../graphql/request-context';
import type { UseCaseContext } from '../use-cases/use-case';

const contextOf = (ctx: ExecutionContext): RequestContext => GqlExecutionContext.create(ctx).getContext<RequestContext>();

/** The verified caller, or null for anonymous requests. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser | null => contextOf(ctx).user ?? null);

/** Request metadata a use case may need (trace, client address), without the raw request. */
export const RequestMeta = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const context = contextOf(ctx);
  return { traceparent: context.traceparent, clientIp: context.clientIp };
});

/** The use-case context of a GraphQL request: its verified caller (or null), its trace and its client's address. */
export const UseCaseCtx = createParamDecorator((_: unknown, ctx: ExecutionContext): UseCaseContext => {
  const context = contextOf(ctx);
  return { caller: context.user ?? null, traceparent: context.traceparent, clientIp: context.clientIp };
});

const ROLES_KEY = 'talent:roles';

@Injectable()
export class AuthenticatedGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const user = contextOf(ctx).user;
    if (!user) throw new UnauthenticatedError();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (roles?.length) requireRole(user, ...roles);
    return true;
  }
}

/** The caller must be signed in (UNAUTHENTICATED otherwise). */
export const Authenticated = () => UseGuards(AuthenticatedGuard);

/** The caller must be signed in and hold one of these roles (FORBIDDEN otherwise). */
export const RequireRoles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), UseGuards(AuthenticatedGuard));

export function requireUser(user: AuthUser | null | undefined): AuthUser {
  if (!user) throw new UnauthenticatedError();
  return user;
}

/** The caller, if they hold one of these roles (FORBIDDEN otherwise): the check `RequireRoles` makes, for use cases. */
export function requireRole(caller: AuthUser, ...roles: Role[]): AuthUser {
  if (!roles.some((role) => caller.roles.includes(role))) throw new ForbiddenError(`Requires one of the roles: ${roles.join(', ')}`);
  return caller;
}
