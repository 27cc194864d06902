import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { GATEWAY_SIGNATURE_HEADER, verifyGatewaySignature } from './gateway-signature';

/**
 * Guards a subgraph's /graphql: only requests the gateway signed get through, so every
 * caller meets the gateway's token check, query limits and rate limit, and no one reaches
 * `_entities` or `_service` from inside the network. Anything else is refused with HTTP 401
 * and a GraphQL-shaped UNAUTHENTICATED error, before parsing or execution. Needs the raw
 * body (`rawBody: true` at application creation).
 */
export function gatewaySignatureMiddleware(secret: string, logger: Pick<Logger, 'warn'>) {
  return (req: Request & { rawBody?: Buffer }, res: Response, next: NextFunction): void => {
    const check = verifyGatewaySignature(secret, req.headers[GATEWAY_SIGNATURE_HEADER], req.rawBody ?? '');
    if (check.ok) return next();
    logger.warn({ reason: check.reason, method: req.method, clientIp: req.ip }, 'refused a /graphql request not signed by the gateway');
    res
      .status(401)
      .type('application/json')
      .send(JSON.stringify({ errors: [{ message: 'Requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] }));
  };
}
