import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AggregateNotFoundError,
  AggregateTypeMismatchError,
  ConcurrencyError,
  ConnectionError,
  DuplicateEventError,
  ERROR_CODES,
  EventDeserializationError,
  EventValidationError,
  EventualiError,
  InvalidArgumentError,
  isEventualiError,
  MissingDriverError,
  MissingEventHandlerError,
  StoreClosedError,
  UnknownEventTypeError,
  type ErrorCode,
} from '../../src/index.js';

const issues = z.object({ email: z.email() }).safeParse({ email: 'nope' }).error?.issues ?? [];

const cases: [string, ErrorCode, () => EventualiError][] = [
  ['ConcurrencyError', 'CONCURRENCY_CONFLICT', () => new ConcurrencyError('a-1', 2, 3)],
  ['DuplicateEventError', 'DUPLICATE_EVENT', () => new DuplicateEventError('e-1')],
  ['EventValidationError', 'EVENT_VALIDATION', () => new EventValidationError('UserRegistered', issues)],
  ['UnknownEventTypeError', 'UNKNOWN_EVENT_TYPE', () => new UnknownEventTypeError('Gone', 5n)],
  ['EventDeserializationError', 'EVENT_DESERIALIZATION', () => new EventDeserializationError(9n, 'T', 'bad')],
  ['MissingEventHandlerError', 'MISSING_EVENT_HANDLER', () => new MissingEventHandlerError('User', 'UserRegistered')],
  ['AggregateNotFoundError', 'AGGREGATE_NOT_FOUND', () => new AggregateNotFoundError('User', 'u-1')],
  ['AggregateTypeMismatchError', 'AGGREGATE_TYPE_MISMATCH', () => new AggregateTypeMismatchError('u-1', 'User', 'Order')],
  ['StoreClosedError', 'STORE_CLOSED', () => new StoreClosedError()],
  ['InvalidArgumentError', 'INVALID_ARGUMENT', () => new InvalidArgumentError('limit', 'must be positive')],
  ['MissingDriverError', 'MISSING_DRIVER', () => new MissingDriverError('pg')],
  ['ConnectionError', 'CONNECTION', () => new ConnectionError('lost')],
];

describe('error classes', () => {
  it.each(cases)('%s has code %s, its class name and the base classes', (name, code, make) => {
    const error = make();
    expect(error.code).toBe(code);
    expect(ERROR_CODES).toContain(error.code);
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(EventualiError);
    expect(error).toBeInstanceOf(Error);
    expect(isEventualiError(error)).toBe(true);
    expect(isEventualiError(error, code)).toBe(true);
    expect(error.message.length).toBeGreaterThan(0);
    expect(String(error)).toContain(name);
  });

  it('gives every class its own code', () => {
    const codes = cases.map(([, code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('lists each code once in ERROR_CODES', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ['CONCURRENCY_CONFLICT', 'EVENT_VALIDATION', 'UNKNOWN_EVENT_TYPE', 'EVENT_DESERIALIZATION', 'MISSING_EVENT_HANDLER', 'AGGREGATE_NOT_FOUND', 'STORE_CLOSED', 'INVALID_ARGUMENT', 'CONNECTION', 'SAGA_UNKNOWN', 'SAGA_INPUT']) {
      expect(ERROR_CODES).toContain(code);
    }
  });

  it('carries the context a caller needs', () => {
    expect(new ConcurrencyError('a-1', 2, 3)).toMatchObject({ aggregateId: 'a-1', expectedVersion: 2, actualVersion: 3 });
    expect(new ConcurrencyError('a-1', 'no-stream', 1).expectedVersion).toBe('no-stream');
    const validation = new EventValidationError('UserRegistered', issues);
    expect(validation.eventType).toBe('UserRegistered');
    expect(validation.issues).toBe(issues);
    expect(validation.message).toContain('email');
    expect(new UnknownEventTypeError('Gone', 5n)).toMatchObject({ eventType: 'Gone', globalPosition: 5n });
    expect(new EventDeserializationError(9n, 'T', 'bad')).toMatchObject({ globalPosition: 9n, eventType: 'T' });
    expect(new MissingEventHandlerError('User', 'X')).toMatchObject({ aggregateType: 'User', eventType: 'X' });
    expect(new AggregateNotFoundError('User', 'u-1')).toMatchObject({ aggregateType: 'User', aggregateId: 'u-1' });
    expect(new AggregateTypeMismatchError('u-1', 'User', 'Order')).toMatchObject({ expectedType: 'User', actualType: 'Order' });
    expect(new InvalidArgumentError('limit', 'x')).toMatchObject({ argument: 'limit' });
    expect(new MissingDriverError('better-sqlite3').message).toContain('npm install better-sqlite3');
  });

  it('keeps the original error as cause', () => {
    const cause = new Error('driver said no');
    expect(new ConcurrencyError('a', 1, 2, { cause }).cause).toBe(cause);
    expect(new DuplicateEventError('e', { cause }).cause).toBe(cause);
    expect(new EventDeserializationError(1n, 'T', 'bad', { cause }).cause).toBe(cause);
    expect(new MissingDriverError('pg', { cause }).cause).toBe(cause);
    expect(new ConnectionError('lost', { cause }).cause).toBe(cause);
    expect(new EventualiError('CONNECTION', 'x', { cause }).cause).toBe(cause);
    expect(new ConnectionError('lost').cause).toBeUndefined();
  });

  it('names a subclass a user derives by the subclass name', () => {
    class MyError extends EventualiError {
      constructor() {
        super('INVALID_ARGUMENT', 'mine');
      }
    }
    expect(new MyError().name).toBe('MyError');
    expect(isEventualiError(new MyError(), 'INVALID_ARGUMENT')).toBe(true);
  });
});

describe('isEventualiError', () => {
  it('checks the code when one is given', () => {
    const error = new ConcurrencyError('a', 1, 2);
    expect(isEventualiError(error, 'CONCURRENCY_CONFLICT')).toBe(true);
    expect(isEventualiError(error, 'STORE_CLOSED')).toBe(false);
  });

  it('recognises an error from a duplicate copy of the package by its global brand', () => {
    const fromOtherCopy = Object.assign(new Error('conflict'), {
      [Symbol.for('eventuali.error')]: true,
      code: 'CONCURRENCY_CONFLICT',
    });
    expect(fromOtherCopy).not.toBeInstanceOf(EventualiError);
    expect(isEventualiError(fromOtherCopy)).toBe(true);
    expect(isEventualiError(fromOtherCopy, 'CONCURRENCY_CONFLICT')).toBe(true);
    expect(isEventualiError(fromOtherCopy, 'STORE_CLOSED')).toBe(false);
  });

  it('rejects plain errors, look-alikes without the brand, and non-objects', () => {
    const plain = Object.assign(new Error('x'), { code: 'CONCURRENCY_CONFLICT' });
    expect(isEventualiError(plain)).toBe(false);
    expect(isEventualiError(plain, 'CONCURRENCY_CONFLICT')).toBe(false);
    expect(isEventualiError({ [Symbol('eventuali.error')]: true, code: 'CONNECTION' })).toBe(false);
    expect(isEventualiError({ [Symbol.for('eventuali.error')]: true })).toBe(false);
    expect(isEventualiError({ [Symbol.for('eventuali.error')]: true, code: 42 })).toBe(false);
    for (const value of [null, undefined, 'CONCURRENCY_CONFLICT', 42, true, () => undefined]) {
      expect(isEventualiError(value)).toBe(false);
    }
  });

  it('narrows to EventualiError', () => {
    const value: unknown = new StoreClosedError();
    if (isEventualiError(value, 'STORE_CLOSED')) {
      const code: ErrorCode = value.code;
      expect(code).toBe('STORE_CLOSED');
    } else {
      expect.unreachable('should be an eventuali error');
    }
  });
});
