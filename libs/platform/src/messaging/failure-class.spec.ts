import { QueryFailedError } from 'typeorm';
import { ConflictError, NotFoundError, PreconditionFailedError, RateLimitedError } from '../errors';
import { backoffDelay, classifyFailure, errorClassOf } from './failure-class';

/** A pg driver error as node-postgres builds it (a DatabaseError with the SQLSTATE in `code`). */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { name: 'error', code });
const queryFailed = (code: string, message: string) => new QueryFailedError('UPDATE x', [], pgError(code, message));
const systemError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });

describe('classifyFailure', () => {
  it('treats domain refusals as permanent (a rate limit excepted)', () => {
    expect(classifyFailure(new ConflictError('already merged'))).toBe('permanent');
    expect(classifyFailure(new NotFoundError('no such job'))).toBe('permanent');
    expect(classifyFailure(new PreconditionFailedError('closed'))).toBe('permanent');
    expect(classifyFailure(new RateLimitedError('slow down', 3))).toBe('transient');
  });

  it.each([
    ['serialization failure', queryFailed('40001', 'could not serialize access due to concurrent update')],
    ['deadlock', queryFailed('40P01', 'deadlock detected')],
    ['lock timeout', queryFailed('55P03', 'canceling statement due to lock timeout')],
    ['statement timeout', queryFailed('57014', 'canceling statement due to statement timeout')],
    ['admin shutdown', pgError('57P01', 'terminating connection due to administrator command')],
    ['database starting up', pgError('57P03', 'the database system is starting up')],
    ['database closed to connections', pgError('55000', 'database "x" is not currently accepting connections')],
    ['too many connections', pgError('53300', 'sorry, too many clients already')],
    ['connection failure', pgError('08006', 'connection failure')],
    ['connection refused', systemError('ECONNREFUSED')],
    ['connection reset', systemError('ECONNRESET')],
    ['connection lost', new Error('Connection terminated unexpectedly')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['redis gone', new Error('Connection is closed.')],
    ['redis loading', new Error('LOADING Redis is loading the dataset in memory')],
    ['wrapped', new Error('could not credit', { cause: systemError('ETIMEDOUT') })],
    ['kafka retriable', Object.assign(new Error('broker not available'), { name: 'KafkaJSConnectionError', retriable: true })],
  ])('treats %s as transient', (_label, error) => {
    expect(classifyFailure(error)).toBe('transient');
  });

  it('leaves anything else unclassified (retried, logged as an error)', () => {
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('unclassified');
    expect(classifyFailure(queryFailed('23505', 'duplicate key value violates unique constraint'))).toBe('unclassified');
    expect(classifyFailure('a string')).toBe('unclassified');
  });
});

describe('errorClassOf', () => {
  it('names the error and its code, never its message', () => {
    expect(errorClassOf(new ConflictError('x@example.com already merged'))).toBe('ConflictError');
    expect(errorClassOf(queryFailed('55P03', 'lock timeout on x'))).toBe('QueryFailedError:55P03');
    expect(errorClassOf(systemError('ECONNREFUSED'))).toBe('Error:ECONNREFUSED');
  });
});

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, drawn from the upper half of each step', () => {
    const top = () => 1;
    const bottom = () => 0;
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, 100, 1_000, top))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([1, 2, 3].map((a) => backoffDelay(a, 100, 1_000, bottom))).toEqual([50, 100, 200]);
    expect(backoffDelay(10_000, 100, 30_000, top)).toBe(30_000);
  });
});
