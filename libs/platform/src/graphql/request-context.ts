import type { Request } from 'express';
import type { AuthUser } from '../auth/auth-user';

export interface RequestContext {
  req: Request;
  user: AuthUser | null;
  traceparent?: string;
  clientIp: string;
}
