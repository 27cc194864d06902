import { randomBytes } from 'node:crypto';
import { approveAndSettle, errorCode, signInAdmin, startStack, waitFor, waitForConsumerCaughtUp, type GraphQLClient, type Stack } from '@talent/testing';

/*
 * Secrets and PII never reach the logs. The whole stack (every service and the gateway) runs
 * with LOG_LEVEL=debug, a realistic session goes through the gateway (registrations, one with
 * an e-mail already taken, wrong logins, KYC with a document number, its approval and a second
 * account claiming the same passport, a job posted, applied to, hired on, invoiced and paid,
 * refresh tokens rotated and one replayed), and then every process's output is searched for
 * each value the session used: e-mails, passwords, password hashes, access and refresh tokens,
 * KYC fields and their ciphertexts. None may appear, and neither may anything shaped like one
 * (a scrypt hash, a JWT, a SQL error's `Key (...)=(...)` detail, query parameters).
 */
const SERVICES = ['jobs', 'matching', 'referrals', 'rewards', 'payments', 'governance'];
const VERBOSE = { LOG_LEVEL: 'debug' };

const AUTH = `{ accessToken refreshToken user { id } }`;
const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) ${AUTH} }`;
const LOGIN = `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) ${AUTH} }`;
const REFRESH = `mutation ($t: String!) { refreshToken(refreshToken: $t) ${AUTH} }`;
const SUBMIT_KYC = `mutation ($input: SubmitKycInput!) { submitKyc(input: $input) { id } }`;
const REVIEW_KYC = `mutation ($id: ID!) { reviewKyc(caseId: $id, decision: APPROVE) { status } }`;
const GRANT = `mutation ($id: ID!) { grantRole(userId: $id, role: INSPECTOR) { id } }`;
const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;
const APPLY = `mutation ($job: ID!, $rate: MoneyInput!) { applyToJob(jobId: $job, coverLetter: "Happy to help", proposedRate: $rate) { id } }`;
const HIRE = `mutation ($id: ID!) { hire(applicationId: $id) { id } }`;
const SUBMIT_INVOICE = `mutation ($input: SubmitInvoiceInput!) { submitInvoice(input: $input) { id } }`;

/** The topics a service consumes, as it logged them at start ("messaging started", at info). */
const subscribedTopics = (output: string): string[] => {
  for (const line of output.split('\n')) {
    if (!line.includes('"messaging started"')) continue;
    const topics: unknown = JSON.parse(line).topics;
    if (Array.isArray(topics)) return topics.map(String);
  }
  throw new Error('the service did not log "messaging started" with its topics');
};

interface User {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  api: GraphQLClient;
}

describe('abuse suite: secrets and PII never reach the logs', () => {
  let stack: Stack;
  /** Every secret or personal value the session used, by what it is. */
  const used = new Map<string, string>();
  const remember = (label: string, value: string | null | undefined) => {
    if (value) used.set(value, label);
  };

  const register = async (role: string, label: string): Promise<User> => {
    const email = `${label}-${randomBytes(5).toString('hex')}@logs.example.test`;
    const password = `Pw-${label}-${randomBytes(9).toString('base64url')}`;
    remember(`${label} e-mail`, email);
    remember(`${label} password`, password);
    const { register: session } = await stack.api.data<{ register: { accessToken: string; refreshToken: string; user: { id: string } } }>(REGISTER, {
      input: { email, password, displayName: `Logs ${label}`, roles: [role] },
    });
    remember(`${label} access token`, session.accessToken);
    remember(`${label} refresh token`, session.refreshToken);
    return {
      id: session.user.id,
      email,
      password,
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      api: stack.api.withToken(session.accessToken),
    };
  };
  const login = async (user: Pick<User, 'email' | 'password'>, label: string): Promise<User> => {
    const { login: session } = await stack.api.data<{ login: { accessToken: string; refreshToken: string; user: { id: string } } }>(LOGIN, {
      e: user.email,
      p: user.password,
    });
    remember(`${label} access token`, session.accessToken);
    remember(`${label} refresh token`, session.refreshToken);
    return {
      ...user,
      id: session.user.id,
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      api: stack.api.withToken(session.accessToken),
    };
  };
  const kyc = (label: string, documentNumber: string) => {
    const input = {
      legalName: `Zephyrine ${label} Quillfeather`,
      country: 'PT',
      dateOfBirth: `19${40 + Math.floor(Math.random() * 40)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`,
      documentType: 'PASSPORT',
      documentNumber,
    };
    remember(`${label} legal name`, input.legalName);
    remember(`${label} date of birth`, input.dateOfBirth);
    remember(`${label} document number`, documentNumber);
    return input;
  };
  /** Retries while another service has not yet learnt what it needs (membership, the job, the contract). */
  const eventually = <T>(call: () => Promise<{ data?: T | null; errors?: unknown[] }>, message: string): Promise<T> =>
    waitFor(
      async () => {
        const res = await call();
        if (res.errors?.length) {
          if (['NOT_FOUND', 'PRECONDITION_FAILED', 'FORBIDDEN'].includes(errorCode(res as never) ?? '')) return undefined;
          throw new Error(JSON.stringify(res.errors));
        }
        return res.data ?? undefined;
      },
      30_000,
      { message },
    ) as Promise<T>;

  beforeAll(async () => {
    stack = await startStack({
      services: SERVICES,
      env: Object.fromEntries(['identity', ...SERVICES, 'gateway'].map((name) => [name, VERBOSE])),
    });
    remember('admin e-mail', stack.admin.email);
    remember('admin password', stack.admin.password);
    // The payment provider's webhook secret (without its whsec_ prefix: the key itself).
    remember('payment webhook secret', stack.paymentWebhookSecret.replace(/^whsec_/, ''));

    // Registrations, and one with an e-mail that is taken: its INSERT fails on users_email_key.
    const admin = await login(stack.admin, 'admin');
    const inspectorUser = await register('TALENT', 'inspector');
    const client = await register('CLIENT', 'client');
    const talent = await register('TALENT', 'talent');
    const twin = await register('TALENT', 'twin');
    const duplicatePassword = `Pw-duplicate-${randomBytes(9).toString('base64url')}`;
    remember('duplicate registration password', duplicatePassword);
    const duplicate = await stack.api.request(REGISTER, {
      input: { email: talent.email.toUpperCase(), password: duplicatePassword, displayName: 'Again', roles: ['TALENT'] },
    });
    expect(errorCode(duplicate)).toBe('CONFLICT');

    // Wrong logins: a wrong password, an unknown e-mail, a malformed one.
    const unknownEmail = `nobody-${randomBytes(5).toString('hex')}@logs.example.test`;
    remember('unknown e-mail', unknownEmail);
    for (const [e, p] of [
      [talent.email, `${talent.password}-wrong`],
      [unknownEmail, 'Pw-unknown-account-1'],
      [`not-an-email-${randomBytes(3).toString('hex')}`, 'Pw-malformed-login-1'],
    ]) {
      remember('wrong password', p);
      expect(errorCode(await stack.api.request(LOGIN, { e, p }))).toBe('UNAUTHENTICATED');
    }
    // A forged bearer token and a garbage one.
    const forged = `${admin.accessToken.split('.').slice(0, 2).join('.')}.${randomBytes(64).toString('base64url')}`;
    remember('forged access token', forged);
    await stack.api.withToken(forged).request(`{ me { id } }`);
    const garbage = `garbage-${randomBytes(12).toString('hex')}`;
    remember('garbage access token', garbage);
    await stack.api.withToken(garbage).request(`{ me { id } }`);

    // An inspector, and KYC for everyone; the twin presents the talent's passport and is refused at approval.
    await admin.api.data(GRANT, { id: inspectorUser.id });
    const inspector = await login(inspectorUser, 'inspector');
    const approve = async (user: User, label: string, documentNumber: string) => {
      const { submitKyc } = await user.api.data<{ submitKyc: { id: string } }>(SUBMIT_KYC, { input: kyc(label, documentNumber) });
      return (user === inspector ? admin : inspector).api.request(REVIEW_KYC, { id: submitKyc.id });
    };
    const passport = `PX${randomBytes(5).toString('hex').toUpperCase()}`;
    for (const [user, label] of [
      [inspector, 'inspector'],
      [client, 'client'],
      [talent, 'talent'],
    ] as const) {
      const review = await approve(user, label, label === 'talent' ? passport : `PX${randomBytes(5).toString('hex').toUpperCase()}`);
      expect(review.errors).toBeUndefined();
    }
    expect(errorCode(await approve(twin, 'twin', passport))).toBe('CONFLICT');

    // The marketplace: a fixed-price job, an application, a hire, an invoice paid.
    const { postJob } = await eventually(
      () =>
        client.api.request<{ postJob: { id: string } }>(POST_JOB, {
          input: {
            title: 'Audit our logging',
            description: 'Make sure no secret reaches a log line.',
            skills: ['typescript'],
            minYearsExperience: 0,
            countries: [],
            budget: { min: { amount: '100', currency: 'USD' }, max: { amount: '200', currency: 'USD' }, unit: 'FIXED' },
            hoursPerWeek: 10,
            durationWeeks: 2,
          },
        }),
      'the client can post',
    );
    const { applyToJob } = await eventually(
      () => talent.api.request<{ applyToJob: { id: string } }>(APPLY, { job: postJob.id, rate: { amount: '150', currency: 'USD' } }),
      'the talent can apply',
    );
    const { hire } = await client.api.data<{ hire: { id: string } }>(HIRE, { id: applyToJob.id });
    const { submitInvoice } = await eventually(
      () =>
        talent.api.request<{ submitInvoice: { id: string } }>(SUBMIT_INVOICE, {
          input: { contractId: hire.id, description: 'all of it', amount: { amount: '150', currency: 'USD' } },
        }),
      'payments knows the contract',
    );
    const key = `pay-${randomBytes(6).toString('hex')}`;
    expect(await approveAndSettle(client.api, submitInvoice.id, key)).toBe('PAID');

    // Refresh tokens: rotated twice, then the first one replayed (which revokes the family).
    const { refreshToken: first } = await stack.api.data<{ refreshToken: { accessToken: string; refreshToken: string } }>(REFRESH, { t: client.refreshToken });
    remember('rotated access token', first.accessToken);
    remember('rotated refresh token', first.refreshToken);
    const { refreshToken: second } = await stack.api.data<{ refreshToken: { accessToken: string; refreshToken: string } }>(REFRESH, { t: first.refreshToken });
    remember('rotated access token', second.accessToken);
    remember('rotated refresh token', second.refreshToken);
    expect(errorCode(await stack.api.request(REFRESH, { t: client.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await stack.api.request(REFRESH, { t: `${randomBytes(8).toString('hex')}.${randomBytes(8).toString('hex')}` }))).toBe('UNAUTHENTICATED');

    // Every consumer has seen every event (so whatever it logs about them is in the output).
    for (const service of ['identity', ...SERVICES]) {
      const topics = subscribedTopics(stack.services[service].process.output());
      if (topics.length) await waitForConsumerCaughtUp(stack.services[service].groupId, topics);
    }
    // The last admin session is still valid: it logged in once more at the end.
    await signInAdmin(stack).then((p) => remember('admin access token', p.accessToken));

    // What identity stored: password hashes, refresh-token hashes, KYC ciphertexts and fingerprints.
    const identity = stack.services.identity;
    for (const { password_hash } of await identity.sql<{ password_hash: string }>('SELECT password_hash FROM users')) remember('password hash', password_hash);
    for (const { secret_hash } of await identity.sql<{ secret_hash: string }>('SELECT secret_hash FROM refresh_tokens'))
      remember('refresh-token hash', secret_hash);
    for (const row of await identity.sql<Record<string, string | null>>(
      'SELECT legal_name_enc, document_number_enc, date_of_birth_enc, document_fingerprint FROM kyc_cases',
    )) {
      for (const [column, value] of Object.entries(row)) remember(`kyc_cases.${column}`, value);
    }
    // Refresh tokens are `<id>.<secret>`: the secret alone must not appear either.
    for (const [value, label] of [...used]) if (label.includes('refresh token')) remember(`${label} secret`, value.split('.')[1]);
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const outputs = () => [
    ...Object.entries(stack.services).map(([name, s]) => ({ name, output: s.process.output() })),
    { name: 'gateway', output: stack.gateway.output() },
  ];

  it('every service logged the session (JSON lines at debug and info)', () => {
    expect(used.size).toBeGreaterThan(40);
    for (const { name, output } of outputs()) {
      expect({ name, logged: output.includes(`"service":"${name}"`) }).toEqual({ name, logged: true });
    }
    // The request logs are there: the gateway logged each request it served.
    expect(stack.gateway.output()).toMatch(/"msg":"request completed"/);
    // The duplicate registration's failed INSERT was logged, by what failed only (at debug: the code maps it to CONFLICT).
    expect(stack.services.identity.process.output()).toMatch(
      /"component":"typeorm","code":"23505","constraint":"users_email_key","table":"users".*"msg":"query failed"/,
    );
  });

  it('no log line holds an e-mail, a password, a hash, a token or a KYC field of the session', () => {
    const found: string[] = [];
    for (const { name, output } of outputs()) {
      const text = output.toLowerCase();
      for (const [value, label] of used) if (text.includes(value.toLowerCase())) found.push(`${name}: ${label}`);
    }
    expect([...new Set(found)]).toEqual([]);
  });

  it("no log line holds anything shaped like a secret or a SQL error's detail", () => {
    const shapes: Array<[string, RegExp]> = [
      ['a scrypt password hash', /scrypt\$\d+\$\d+\$\d+\$/],
      ['a JWT', /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\./],
      ['an e-mail address', /[\w.+-]+@[\w-]+(\.[\w-]+)*\.(test|com|local|org)\b/i],
      ["a SQL error's detail", /Key \([^)]*\)=\(/],
      ['query parameters', /"(parameters|detail)":/],
      ['a failed query', /query failed:|INSERT INTO "?users/i],
    ];
    const found: string[] = [];
    for (const { name, output } of outputs()) {
      for (const [label, shape] of shapes) {
        const match = shape.exec(output);
        if (match) found.push(`${name}: ${label}: …${output.slice(Math.max(0, match.index - 80), match.index + 80)}…`);
      }
    }
    expect(found).toEqual([]);
  });

  it('every line a service printed is a JSON log line from pino', () => {
    const stray: string[] = [];
    for (const { name, output } of outputs()) {
      for (const line of output.split('\n')) {
        if (!line.trim()) continue;
        let parsed: { level?: unknown; service?: unknown } | undefined;
        try {
          parsed = JSON.parse(line);
        } catch {
          parsed = undefined;
        }
        if (!parsed || typeof parsed.level !== 'string' || parsed.service !== name) stray.push(`${name}: ${line.slice(0, 200)}`);
      }
    }
    expect(stray).toEqual([]);
  });
});
