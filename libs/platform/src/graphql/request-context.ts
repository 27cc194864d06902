import type { Request } from 'express';
import type { AuthUser } from '../auth/auth-user';

export interface RequestContext {
  req: Request;
  user: AuthUser | null;
  /** This request's W3C trace context (its own server span when tracing is on): pass it to `EventPublisher.publish`. */
  traceparent?: string;
  clientIp: string;
}
