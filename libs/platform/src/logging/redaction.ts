/**
 * What never reaches a log line, whatever a developer hands the logger: secrets (passwords and
 * their hashes, tokens, keys, ciphertexts) and personal data (e-mails, KYC fields), at any depth
 * of the logged object, in arrays, in errors and their causes, and in free text.
 *
 * pino's own `redact` takes fixed paths (`*.email` reaches one level down only); this walks the
 * whole object instead. It copies, never mutates what the caller logged.
 */

export const CENSOR = '[redacted]';

/**
 * Keys censored wherever they appear, compared without case, `_` or `-`
 * (`passwordHash`, `password_hash` and `PASSWORD-HASH` are one key).
 */
const SENSITIVE_KEYS = new Set(
  [
    'hash',
    'email',
    'emails',
    'legalName',
    'dateOfBirth',
    'dob',
    'birthDate',
    'documentNumber',
    'documentNumberLast4',
    'documentFingerprint',
    'fingerprint',
    'authorization',
    'proxyAuthorization',
    'cookie',
    'setCookie',
    'xApiKey',
    'xGatewaySignature',
    'jwt',
    'otp',
    'pin',
  ].map(normalize),
);

/** Key endings that mark a secret: `newPassword`, `refreshToken`, `signingSecret`, `passwordHash`, `legalNameEnc`... */
const SENSITIVE_SUFFIXES = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'encryptionkey',
  'fingerprintkey',
  'ciphertext',
  'hash',
  'enc',
  'email',
  'signature',
  'credentials',
];

/** Fields of driver and ORM errors that carry row values or SQL: never logged. */
const DRIVER_FIELDS = new Set([
  'detail',
  'parameters',
  'params',
  'query',
  'sql',
  'where',
  'internalQuery',
  'hint',
  'position',
  'internalPosition',
  'file',
  'line',
]);

/** Fields of errors worth keeping: what failed, never with what values. */
const ERROR_FIELDS = ['code', 'constraint', 'table', 'schema', 'column', 'dataType', 'routine', 'severity', 'status', 'statusCode', 'errno', 'syscall'];

const MAX_DEPTH = 8;
const MAX_ARRAY = 100;

function normalize(key: string): string {
  return key.replace(/[-_\s]/g, '').toLowerCase();
}

/** True when a value under this key is censored whatever it holds. */
export function isSensitiveKey(key: string): boolean {
  const k = normalize(key);
  if (!k) return false;
  if (SENSITIVE_KEYS.has(k)) return true;
  return SENSITIVE_SUFFIXES.some((suffix) => k.endsWith(suffix));
}

const TEXT_RULES: Array<[RegExp, string | ((...groups: string[]) => string), (s: string) => boolean]> = [
  // A unique or foreign-key violation's detail: `Key (email)=(ada@example.org) already exists.`
  [/(Key \([^)]*\))=\((?:[^()]|\([^()]*\))*\)/g, (_m, key: string) => `${key}=(${CENSOR})`, (s) => s.includes('Key (')],
  // PostgreSQL quoting the value it refused: `invalid input syntax for type uuid: "..."`.
  [/(invalid input (?:syntax|value) for [^:"]+): "(?:[^"\\]|\\.)*"/g, `$1: "${CENSOR}"`, (s) => s.includes('invalid input')],
  // Credentials in a URL: postgres://user:secret@host/db
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]+@/gi, (_m, head: string) => `${head}:${CENSOR}@`, (s) => s.includes('://')],
  // E-mail addresses.
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, '[email]', (s) => s.includes('@')],
  // Bearer credentials and JSON Web Tokens.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${CENSOR}`, (s) => /bearer|basic/i.test(s)],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[jwt]', (s) => s.includes('eyJ')],
  // Password hashes as identity stores them (scrypt$N$r$p$salt$key), and other modular-crypt hashes.
  [/\bscrypt\$[^\s"',]+/g, '[hash]', (s) => s.includes('scrypt$')],
  [/\$(?:argon2(?:id|i|d)|2[aby]?)\$[^\s"',]+/g, '[hash]', (s) => s.includes('$2') || s.includes('$argon2')],
];

/**
 * Censors secrets and personal data found in free text: SQL `Key (...)=(...)` details, credentials
 * in URLs, e-mail addresses, bearer tokens and JWTs, password hashes.
 */
export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement, applies] of TEXT_RULES) {
    if (applies(out)) out = out.replace(pattern, replacement as string);
  }
  return out;
}

function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Objects not worth walking: streams, sockets, requests and other emitters, buffers, dates, maps. */
function isOpaque(value: object): boolean {
  if (value instanceof Date || value instanceof RegExp || value instanceof Map || value instanceof Set || value instanceof Promise) return true;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return true;
  const candidate = value as { on?: unknown; pipe?: unknown; emit?: unknown };
  return typeof candidate.on === 'function' && typeof candidate.emit === 'function';
}

/**
 * A copy of `value` with every sensitive key censored at any depth, strings scrubbed
 * (`scrubText`) and errors reduced to what failed (`serializeError`).
 */
export function redactDeep(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return serializeError(value, depth, seen);
  if (isOpaque(value)) return value instanceof Date ? value : ArrayBuffer.isView(value) ? CENSOR : undefined;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ARRAY).map((item) => redactDeep(item, depth + 1, seen));
      if (value.length > MAX_ARRAY) items.push(`[${value.length - MAX_ARRAY} more]`);
      return items;
    }
    // A class instance (an entity, say) is logged as JSON would show it: its own enumerable fields,
    // unless it says otherwise with toJSON.
    const source = !isPlainRecord(value) && typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value;
    if (source !== value) return redactDeep(source, depth + 1, seen);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      out[key] = isSensitiveKey(key) ? CENSOR : redactDeep((value as Record<string, unknown>)[key], depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  [field: string]: unknown;
}

/**
 * An error as the logs may show it: its type, scrubbed message and stack, what failed (SQLSTATE
 * code, constraint, table, column) and its cause, never the values involved. Drops what drivers
 * and ORMs attach (`detail` with the row's values, `parameters`, `query`), including on a
 * TypeORM `QueryFailedError`'s `driverError`. Other fields are kept, redacted as any object.
 */
export function serializeError(error: Error, depth = 0, seen: WeakSet<object> = new WeakSet()): SerializedError | string {
  if (seen.has(error)) return '[circular]';
  if (depth >= MAX_DEPTH) return `[${error.name}]`;
  seen.add(error);
  try {
    const out: SerializedError = { type: error.constructor?.name ?? error.name, message: scrubText(String(error.message ?? '')) };
    if (error.stack) out.stack = scrubText(error.stack);
    const fields = error as unknown as Record<string, unknown>;
    const driver = fields.driverError;
    for (const key of ERROR_FIELDS) {
      const own = fields[key] ?? (driver && typeof driver === 'object' ? (driver as Record<string, unknown>)[key] : undefined);
      if (own !== undefined && own !== null && typeof own !== 'object') out[key] = typeof own === 'string' ? scrubText(own) : own;
    }
    for (const key of Object.keys(error)) {
      if (key in out || key === 'driverError' || key === 'cause' || DRIVER_FIELDS.has(key)) continue;
      out[key] = isSensitiveKey(key) ? CENSOR : redactDeep(fields[key], depth + 1, seen);
    }
    if (error.cause !== undefined) out.cause = redactDeep(error.cause, depth + 1, seen);
    if (error instanceof AggregateError) out.errors = redactDeep(error.errors, depth + 1, seen);
    return out;
  } finally {
    seen.delete(error);
  }
}

/**
 * An error ready for any logger, including one without the platform's serializers (tests,
 * scripts): for the call sites that log errors which may come from the database.
 */
export function loggableError(error: unknown): unknown {
  return error instanceof Error ? serializeError(error) : redactDeep(error);
}
