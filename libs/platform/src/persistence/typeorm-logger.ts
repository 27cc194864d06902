import type { Logger as PinoLogger } from 'pino';
import type { Logger as TypeOrmLogger } from 'typeorm';

/** SQLSTATE classes of refusals the code expects and maps (unique and foreign-key violations, serialization retries). */
const EXPECTED_CLASSES = ['23', '40'];

interface DriverErrorFields {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  schema?: unknown;
  routine?: unknown;
}

/** What a failed statement was, never with what: `INSERT`, `SELECT`... from the text, no values. */
function commandOf(query: string | undefined): string | undefined {
  const match = /^\s*(?:\/\*.*?\*\/\s*)?([A-Za-z]+)/s.exec(query ?? '');
  return match?.[1].toUpperCase();
}

function failureOf(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return {};
  const source = ((error as { driverError?: DriverErrorFields }).driverError ?? error) as DriverErrorFields;
  const out: Record<string, unknown> = {};
  for (const key of ['code', 'constraint', 'table', 'column', 'schema', 'routine'] as const) {
    const value = source[key] ?? (error as DriverErrorFields)[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  }
  return out;
}

/**
 * TypeORM's logs through pino, and without data: a failed statement is logged by SQLSTATE code,
 * constraint, table and command only. Never a statement's parameters (the row being written: an
 * e-mail, a password hash, a ciphertext), never its text, never the driver's `detail` (which
 * repeats the values: `Key (email)=(...) already exists`). Migrations are logged as they run
 * (info), and a failed one as an error.
 *
 * TypeORM logs a failed query before the caller sees the error; most failures are refusals the
 * code maps itself (a unique violation becomes CONFLICT, a serialization failure is retried), so
 * classes 23 and 40 are logged at debug, anything else as an error.
 */
export class PinoTypeOrmLogger implements TypeOrmLogger {
  private readonly pino: PinoLogger;

  constructor(logger: PinoLogger) {
    this.pino = logger.child({ component: 'typeorm' });
  }

  logQuery(): void {
    // Statements are not logged: their parameters are the data itself.
  }

  /** `parameters` is the row's data: never logged. */
  logQueryError(error: string | Error, query: string, _parameters?: unknown): void {
    const failure = failureOf(error);
    const code = typeof failure.code === 'string' ? failure.code : '';
    const level = EXPECTED_CLASSES.some((c) => code.startsWith(c)) ? 'debug' : 'error';
    this.pino[level]({ ...failure, command: commandOf(query) }, 'query failed');
  }

  logQuerySlow(time: number, query: string, _parameters?: unknown): void {
    this.pino.warn({ durationMs: time, command: commandOf(query) }, 'slow query');
  }

  /** TypeORM reports the migrations it runs here ("Migration X has been executed successfully."). */
  logSchemaBuild(message: string): void {
    this.pino.info(message);
  }

  /** TypeORM reports a migration that failed here, with the driver's message (no parameters). */
  logMigration(message: string): void {
    if (/failed/i.test(message)) this.pino.error(message);
    else this.pino.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    if (level === 'warn') this.pino.warn(text);
    else this.pino.info(text);
  }
}
