import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { pinoHttp } from 'pino-http';
import { QueryFailedError } from 'typeorm';
import { PinoTypeOrmLogger } from '../persistence/typeorm-logger';
import { createLogger, pinoHttpOptions } from './logger.module';
import { PinoNestLogger } from './nest-logger';
import { CENSOR, isSensitiveKey, loggableError, redactDeep, scrubText, serializeError } from './redaction';

const EMAIL = 'ada.lovelace@example.org';
const HASH = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5';
const JWT = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlc2lnbmF0dXJl';
const SECRETS = [EMAIL, HASH, JWT, 'P4SSW0RD-pl41n', 'PX9931177', 'Ada King', '1815-12-10', 'refresh-secret-value', 'ciphertext-value'];

/** A failed INSERT as TypeORM throws it: the statement, its parameters, and the driver's error (with `detail`). */
function duplicateEmailError(): QueryFailedError {
  const driverError = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
    code: '23505',
    constraint: 'users_email_key',
    table: 'users',
    schema: 'public',
    severity: 'ERROR',
    detail: `Key (email)=(${EMAIL}) already exists.`,
    file: 'nbtinsert.c',
  });
  return new QueryFailedError('INSERT INTO "users"("id", "email", "password_hash") VALUES ($1, $2, $3)', ['5f0c6c1e', EMAIL, HASH], driverError);
}

/** A logger of the platform writing to memory: the JSON lines it printed. */
function capture(level = 'trace') {
  const lines: string[] = [];
  const logger = createLogger({ service: 'test', level }, { write: (line: string) => void lines.push(line) });
  const text = () => lines.join('');
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, text, parsed };
}

const expectNoSecret = (text: string) => expect(SECRETS.filter((s) => text.toLowerCase().includes(s.toLowerCase()))).toEqual([]);

describe('isSensitiveKey', () => {
  it.each([
    'password',
    'newPassword',
    'ADMIN_PASSWORD',
    'passwordHash',
    'password_hash',
    'hash',
    'token',
    'accessToken',
    'refresh_token',
    'refreshTokenHash',
    'secret',
    'signingSecret',
    'GATEWAY_SECRET',
    'ciphertext',
    'legalNameEnc',
    'document_number_enc',
    'documentNumber',
    'documentFingerprint',
    'dateOfBirth',
    'date_of_birth',
    'legalName',
    'email',
    'contactEmail',
    'authorization',
    'Cookie',
    'set-cookie',
    'x-api-key',
    'privateKey',
    'JWT_PRIVATE_KEY',
    'KYC_ENCRYPTION_KEY',
  ])('censors %s', (key) => expect(isSensitiveKey(key)).toBe(true));

  it.each([
    'id',
    'userId',
    'eventType',
    'status',
    'code',
    'constraint',
    'table',
    'amount',
    'maxTokens',
    'tokenWallet',
    'reference',
    'component',
    'traceId',
    'count',
  ])('keeps %s', (key) => expect(isSensitiveKey(key)).toBe(false));
});

describe('scrubText', () => {
  it.each([
    ['a SQL key detail', `Key (email)=(${EMAIL}) already exists.`, `Key (email)=(${CENSOR}) already exists.`],
    ['a composite key detail', 'Key (country, document_number)=(PT, PX9931177) already exists.', `Key (country, document_number)=(${CENSOR}) already exists.`],
    ['an e-mail address', `no account for ${EMAIL}, sorry`, 'no account for [email], sorry'],
    ['credentials in a URL', 'cannot reach postgres://talent:P4SSW0RD-pl41n@db:5432/identity', `cannot reach postgres://talent:${CENSOR}@db:5432/identity`],
    ['a bearer token', `authorization: Bearer ${JWT}`, `authorization: Bearer ${CENSOR}`],
    ['a bare JWT', `token ${JWT} expired`, 'token [jwt] expired'],
    ['a password hash', `stored ${HASH}`, 'stored [hash]'],
    ['a bad uuid in a driver message', 'invalid input syntax for type uuid: "ada.lovelace"', `invalid input syntax for type uuid: "${CENSOR}"`],
  ])('censors %s', (_, text, expected) => expect(scrubText(text)).toBe(expected));

  it('leaves ordinary text, stack frames and package paths alone', () => {
    const text = 'Error: boom\n    at Object.<anonymous> (/app/node_modules/@nestjs/core/router.js:1:2)\n    at pkg@1.2.3';
    expect(scrubText(text)).toBe(text);
  });
});

describe('redactDeep', () => {
  it('censors sensitive keys at any depth, in arrays too, and keeps the rest', () => {
    const input = {
      userId: 'u-1',
      variables: { input: { email: EMAIL, password: 'P4SSW0RD-pl41n', displayName: 'Ada' } },
      rows: [
        { id: 1, passwordHash: HASH },
        { id: 2, nested: [{ kyc: { documentNumber: 'PX9931177', legalName: 'Ada King', dateOfBirth: '1815-12-10' } }] },
      ],
      session: { tokens: { accessToken: JWT, refreshToken: 'refresh-secret-value' } },
      stored: { legal_name_enc: 'ciphertext-value' },
    };
    const out = redactDeep(input);
    expect(out).toEqual({
      userId: 'u-1',
      variables: { input: { email: CENSOR, password: CENSOR, displayName: 'Ada' } },
      rows: [
        { id: 1, passwordHash: CENSOR },
        { id: 2, nested: [{ kyc: { documentNumber: CENSOR, legalName: CENSOR, dateOfBirth: CENSOR } }] },
      ],
      session: { tokens: { accessToken: CENSOR, refreshToken: CENSOR } },
      stored: { legal_name_enc: CENSOR },
    });
    // The caller's object is untouched.
    expect(input.variables.input.email).toBe(EMAIL);
  });

  it('scrubs strings under ordinary keys, and walks class instances as JSON would show them', () => {
    class UserRecord {
      constructor(
        public id: string,
        public email: string,
        public passwordHash: string,
        public note: string,
      ) {}
    }
    expect(redactDeep({ user: new UserRecord('u-1', EMAIL, HASH, `write to ${EMAIL}`) })).toEqual({
      user: { id: 'u-1', email: CENSOR, passwordHash: CENSOR, note: 'write to [email]' },
    });
  });

  it('survives cycles and very deep objects', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactDeep(a)).toEqual({ name: 'a', self: '[circular]' });
    let deep: Record<string, unknown> = { email: EMAIL };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expectNoSecret(JSON.stringify(redactDeep(deep)));
  });

  it('censors buffers and drops emitters (sockets, requests)', () => {
    const { EventEmitter } = jest.requireActual<typeof import('node:events')>('node:events');
    expect(redactDeep({ raw: Buffer.from(EMAIL), socket: new EventEmitter(), at: new Date(0) })).toEqual({ raw: CENSOR, socket: undefined, at: new Date(0) });
  });
});

describe('serializeError', () => {
  it("keeps what failed of a QueryFailedError and drops the statement, its parameters and the driver's detail", () => {
    const out = serializeError(duplicateEmailError());
    expect(out).toMatchObject({
      type: 'QueryFailedError',
      message: 'duplicate key value violates unique constraint "users_email_key"',
      code: '23505',
      constraint: 'users_email_key',
      table: 'users',
      schema: 'public',
    });
    expect(out).not.toHaveProperty('query');
    expect(out).not.toHaveProperty('parameters');
    expect(out).not.toHaveProperty('detail');
    expect(out).not.toHaveProperty('driverError');
    expectNoSecret(JSON.stringify(out));
    expect(JSON.stringify(out)).not.toContain('INSERT');
  });

  it('walks causes and aggregated errors, censoring their fields as well', () => {
    const cause = Object.assign(new Error(`lookup of ${EMAIL} failed`), { token: JWT, detail: 'Key (email)=(x) exists' });
    const error = new AggregateError([new Error('first'), duplicateEmailError()], 'several failures', { cause });
    const out = serializeError(error) as Record<string, unknown>;
    expect(out.cause).toMatchObject({ type: 'Error', message: 'lookup of [email] failed', token: CENSOR });
    expect(out.cause).not.toHaveProperty('detail');
    expect(out.errors).toEqual([expect.objectContaining({ message: 'first' }), expect.objectContaining({ code: '23505' })]);
    expectNoSecret(JSON.stringify(out));
  });
});

describe('loggableError', () => {
  it('makes an error safe for any logger, even one without the platform serializers, and anything else thrown too', () => {
    expect(loggableError(duplicateEmailError())).toMatchObject({ type: 'QueryFailedError', code: '23505' });
    expectNoSecret(JSON.stringify(loggableError(duplicateEmailError())));
    expect(loggableError({ email: EMAIL, reason: 'thrown object' })).toEqual({ email: CENSOR, reason: 'thrown object' });
    expect(loggableError(`no account for ${EMAIL}`)).toBe('no account for [email]');
  });
});

describe('the platform logger', () => {
  it('redacts logged objects at any depth, messages, format arguments and child bindings', () => {
    const { logger, text, parsed } = capture();
    logger.info({ request: { variables: { input: { email: EMAIL, password: 'P4SSW0RD-pl41n' } } }, list: [{ hash: HASH }] }, 'registered');
    logger.warn(`no account for ${EMAIL}`);
    logger.info('login failed for %s with %j', EMAIL, { password: 'P4SSW0RD-pl41n' });
    logger
      .child({ component: 'kyc', email: EMAIL, case: { documentNumber: 'PX9931177' } })
      .child({ ok: true })
      .info('submitted');
    expectNoSecret(text());
    expect(parsed().map((l) => [l.service, l.level, l.msg])).toEqual([
      ['test', 'info', 'registered'],
      ['test', 'warn', 'no account for [email]'],
      ['test', 'info', expect.stringContaining('login failed for [email]')],
      ['test', 'info', 'submitted'],
    ]);
    expect(parsed()[3]).toMatchObject({ component: 'kyc', email: CENSOR, case: { documentNumber: CENSOR }, ok: true });
  });

  it('logs an error by what failed, never with the values it carried', () => {
    const { logger, text, parsed } = capture();
    logger.error({ err: duplicateEmailError() }, 'register failed');
    logger.error(duplicateEmailError());
    // Without a message, pino takes the error's: scrubbed too.
    logger.warn(new Error(`no account for ${EMAIL}`));
    logger.warn({ err: new Error('invalid input syntax for type uuid: "PX9931177"') });
    expectNoSecret(text());
    expect(
      parsed()
        .slice(2)
        .map((l) => l.msg),
    ).toEqual(['no account for [email]', `invalid input syntax for type uuid: "${CENSOR}"`]);
    expect(text()).not.toMatch(/INSERT|"parameters"|"detail"|"query"|Key \(email\)=\(/);
    expect(parsed()[0]).toMatchObject({
      msg: 'register failed',
      err: { type: 'QueryFailedError', code: '23505', constraint: 'users_email_key', table: 'users' },
    });
    expect(parsed()[1].err).toMatchObject({ code: '23505' });
  });

  it('logs a request by id, method and path only: no headers, no query string', () => {
    const { logger, parsed } = capture();
    logger.info(
      {
        req: { id: 'r-1', method: 'GET', url: `/graphql?token=${JWT}`, headers: { authorization: `Bearer ${JWT}`, cookie: 'sid=1' } },
        res: { statusCode: 200 },
      },
      'done',
    );
    expect(parsed()[0]).toMatchObject({ req: { id: 'r-1', method: 'GET', url: '/graphql' }, res: { statusCode: 200 } });
    expect(JSON.stringify(parsed()[0])).not.toContain('authorization');
  });
});

describe('the request logger (pino-http, behind Nest)', () => {
  it('logs a failed request by id, method and path, and its error by what failed: no headers, no query string, no driver detail', () => {
    const lines: string[] = [];
    const middleware = pinoHttp(pinoHttpOptions({ service: 'test', level: 'info' }), { write: (line: string) => void lines.push(line) } as never);
    const req = new IncomingMessage(new Socket());
    Object.assign(req, { method: 'POST', url: `/graphql?email=${EMAIL}&token=${JWT}` });
    req.headers = { authorization: `Bearer ${JWT}`, cookie: 'session=refresh-secret-value', 'x-request-id': 'req-1' };
    const res = new ServerResponse(req);
    middleware(req, res, () => undefined);
    res.statusCode = 500;
    (res as unknown as { err: Error }).err = duplicateEmailError();
    res.emit('finish');

    expect(lines).toHaveLength(1);
    expectNoSecret(lines[0]);
    expect(lines[0]).not.toMatch(/authorization|cookie|INSERT|"parameters"|"detail"/);
    expect(JSON.parse(lines[0])).toMatchObject({
      service: 'test',
      req: { id: 'req-1', method: 'POST', url: '/graphql' },
      res: { statusCode: 500 },
      err: { type: 'QueryFailedError', code: '23505', constraint: 'users_email_key' },
    });
  });

  it('at `warn`, writes a line for a failed request only, at `error`', () => {
    const lines: string[] = [];
    const middleware = pinoHttp(pinoHttpOptions({ service: 'test', level: 'warn' }), { write: (line: string) => void lines.push(line) } as never);
    for (const status of [200, 404, 503]) {
      const req = new IncomingMessage(new Socket());
      Object.assign(req, { method: 'POST', url: '/graphql' });
      req.headers = { 'x-request-id': `req-${status}` };
      const res = new ServerResponse(req);
      middleware(req, res, () => undefined);
      res.statusCode = status;
      res.emit('finish');
    }
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'error', req: { id: 'req-503', method: 'POST', url: '/graphql' }, res: { statusCode: 503 } }),
    ]);
  });
});

describe('PinoTypeOrmLogger', () => {
  it('logs a failed statement by code, constraint, table and command, never its text or parameters', () => {
    const { logger, text, parsed } = capture();
    const typeorm = new PinoTypeOrmLogger(logger);
    const error = duplicateEmailError();
    typeorm.logQueryError(error, error.query, error.parameters);
    typeorm.logQueryError(Object.assign(new Error('relation "users" does not exist'), { code: '42P01' }), 'SELECT * FROM users WHERE email = $1', [EMAIL]);
    expectNoSecret(text());
    expect(text()).not.toMatch(/VALUES|WHERE|"parameters"|"query"/);
    expect(parsed()).toEqual([
      expect.objectContaining({
        level: 'debug',
        component: 'typeorm',
        msg: 'query failed',
        code: '23505',
        constraint: 'users_email_key',
        table: 'users',
        command: 'INSERT',
      }),
      expect.objectContaining({ level: 'error', component: 'typeorm', msg: 'query failed', code: '42P01', command: 'SELECT' }),
    ]);
  });

  it('logs no statements, slow ones without their text, migrations as they run and fail', () => {
    const { logger, text, parsed } = capture();
    const typeorm = new PinoTypeOrmLogger(logger);
    typeorm.logQuery();
    typeorm.logQuerySlow(1500, 'UPDATE users SET email = $1');
    typeorm.logSchemaBuild('Migration IdentitySchema1732600000000 has been executed successfully.');
    typeorm.logMigration('Migration "MemberDocuments1735300000000" failed, error: relation "users" does not exist');
    typeorm.log('warn', `Postgres pool raised an error. postgres://talent:P4SSW0RD-pl41n@db/identity`);
    expectNoSecret(text());
    expect(parsed().map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'slow query'],
      ['info', 'Migration IdentitySchema1732600000000 has been executed successfully.'],
      ['error', 'Migration "MemberDocuments1735300000000" failed, error: relation "users" does not exist'],
      ['warn', `Postgres pool raised an error. postgres://talent:${CENSOR}@db/identity`],
    ]);
    expect(parsed()[0]).toMatchObject({ durationMs: 1500, command: 'UPDATE' });
  });
});

describe('PinoNestLogger', () => {
  it("follows Nest's contract (context last, error with a stack) through the redacting logger", () => {
    const { logger, text, parsed } = capture();
    const nest = new PinoNestLogger(logger);
    nest.log('Nest application successfully started', 'NestApplication');
    const failure = duplicateEmailError();
    nest.error(failure);
    nest.error(`Unable to connect to postgres://talent:P4SSW0RD-pl41n@db/identity`, 'Error: boom\n    at connect (pg.js:1:1)', 'TypeOrmModule');
    nest.warn({ email: EMAIL, note: 'object message' });
    expectNoSecret(text());
    const lines = parsed();
    expect(lines[0]).toMatchObject({ level: 'info', context: 'NestApplication', msg: 'Nest application successfully started' });
    expect(lines[1]).toMatchObject({ level: 'error', err: { type: 'QueryFailedError', code: '23505' } });
    expect(lines[2]).toMatchObject({ level: 'error', context: 'TypeOrmModule', err: { stack: expect.stringContaining('at connect') } });
    expect(lines[3]).toMatchObject({ level: 'warn', email: CENSOR, note: 'object message' });
  });
});
