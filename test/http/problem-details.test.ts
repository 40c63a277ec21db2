import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AggregateNotFoundError,
  AggregateTypeMismatchError,
  ConcurrencyError,
  ConnectionError,
  DocumentValidationError,
  DuplicateEventError,
  ERROR_CODES,
  EventDeserializationError,
  EventValidationError,
  ImportConflictError,
  ImportFormatError,
  InvalidArgumentError,
  MissingDriverError,
  MissingEventHandlerError,
  ReadModelTimeoutError,
  SagaError,
  StoreClosedError,
  StreamOverflowError,
  SubscriptionError,
  GroupPartitionsChangedError,
  UnknownEventTypeError,
  type ErrorCode,
  type EventualiError,
} from '../../src/index.js';
import { DEFAULT_PROBLEM_TYPE_BASE, PROBLEM_CONTENT_TYPE, toHttpError } from '../../src/http.js';

const issues = z.object({ email: z.email(), password: z.string().min(8) }).safeParse({ email: 'nope', password: 'hunter2' }).error?.issues ?? [];

// One error per code, as the library throws it. A Record: a new code fails the type check here.
const errors: Record<ErrorCode, () => EventualiError> = {
  CONCURRENCY_CONFLICT: () => new ConcurrencyError('o-1', 2, 3),
  DUPLICATE_EVENT: () => new DuplicateEventError('e-1'),
  EVENT_VALIDATION: () => new EventValidationError('UserRegistered', issues),
  UNKNOWN_EVENT_TYPE: () => new UnknownEventTypeError('Gone', 5n),
  EVENT_DESERIALIZATION: () => new EventDeserializationError(9n, 'T', 'secret internals'),
  MISSING_EVENT_HANDLER: () => new MissingEventHandlerError('User', 'UserRegistered'),
  AGGREGATE_NOT_FOUND: () => new AggregateNotFoundError('Order', 'o-9'),
  AGGREGATE_TYPE_MISMATCH: () => new AggregateTypeMismatchError('u-1', 'Order', 'User'),
  STORE_CLOSED: () => new StoreClosedError(),
  INVALID_ARGUMENT: () => new InvalidArgumentError('limit', 'must be positive'),
  MISSING_DRIVER: () => new MissingDriverError('pg'),
  CONNECTION: () => new ConnectionError('connect ECONNREFUSED 10.0.0.5:5432'),
  SUBSCRIPTION: () => new SubscriptionError('mailer', 'not started'),
  GROUP_PARTITIONS_CHANGED: () => new GroupPartitionsChangedError('mailer', 8, 4),
  STREAM_OVERFLOW: () => new StreamOverflowError('dashboard', 10),
  SAGA_UNKNOWN: () => new SagaError('SAGA_UNKNOWN', 'No saga has id "s-1"', { sagaId: 's-1' }),
  SAGA_INPUT: () => new SagaError('SAGA_INPUT', 'Invalid input for saga order', { sagaName: 'order', issues }),
  SAGA_DEFINITION: () => new SagaError('SAGA_DEFINITION', 'Saga x: no steps', { sagaName: 'x' }),
  SAGA_STOPPED: () => new SagaError('SAGA_STOPPED', 'This coordinator is stopped'),
  SAGA_TIMEOUT: () => new SagaError('SAGA_TIMEOUT', 'Saga s-1 did not finish within 100 ms', { sagaId: 's-1' }),
  DOCUMENT_VALIDATION: () => new DocumentValidationError('carts', 'c-1', issues),
  READ_MODEL_TIMEOUT: () => new ReadModelTimeoutError('carts', 7n, 2000),
  IMPORT_CONFLICT: () => new ImportConflictError(12n, 'e-1', 'another event is stored at this position'),
  IMPORT_FORMAT: () => new ImportFormatError(3, 'not JSON'),
};

const expectedStatus: Record<ErrorCode, number> = {
  CONCURRENCY_CONFLICT: 409,
  DUPLICATE_EVENT: 409,
  EVENT_VALIDATION: 400,
  UNKNOWN_EVENT_TYPE: 500,
  EVENT_DESERIALIZATION: 500,
  MISSING_EVENT_HANDLER: 500,
  AGGREGATE_NOT_FOUND: 404,
  AGGREGATE_TYPE_MISMATCH: 404,
  STORE_CLOSED: 503,
  INVALID_ARGUMENT: 400,
  MISSING_DRIVER: 500,
  CONNECTION: 503,
  SUBSCRIPTION: 500,
  GROUP_PARTITIONS_CHANGED: 500,
  STREAM_OVERFLOW: 500,
  SAGA_UNKNOWN: 404,
  SAGA_INPUT: 400,
  SAGA_DEFINITION: 500,
  SAGA_STOPPED: 503,
  SAGA_TIMEOUT: 504,
  DOCUMENT_VALIDATION: 500,
  READ_MODEL_TIMEOUT: 503,
  IMPORT_CONFLICT: 409,
  IMPORT_FORMAT: 400,
};

describe('toHttpError', () => {
  it('has a case for every code in ERROR_CODES', () => {
    expect(Object.keys(errors).sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each([...ERROR_CODES])('%s: a problem+json answer with its status, type, title and code', (code) => {
    const error = errors[code]();
    expect(error.code).toBe(code);
    const { status, headers, body } = toHttpError(error);
    expect(status).toBe(expectedStatus[code]);
    expect(headers).toEqual({ 'content-type': PROBLEM_CONTENT_TYPE });
    expect(body).toMatchObject({ type: `${DEFAULT_PROBLEM_TYPE_BASE}${code.toLowerCase()}`, status, code });
    expect(body.title.length).toBeGreaterThan(0);
    expect(typeof body.detail).toBe('string');
    if (code === 'AGGREGATE_TYPE_MISMATCH') expect(body.detail).toBe('Order "u-1" does not exist');
    else if (status < 500) expect(body.detail).toBe(error.message);
    else expect(body.detail).not.toContain(error.message);
    // What a framework sends must serialize: no bigint, no cycle.
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });

  it('gives a conflict its versions: 409 by default, 412 when the version came from If-Match', () => {
    const conflict = new ConcurrencyError('o-1', 2, 3);
    expect(toHttpError(conflict).body).toMatchObject({ status: 409, title: 'Version conflict', aggregateId: 'o-1', expectedVersion: 2, actualVersion: 3 });
    expect(toHttpError(conflict, { ifMatch: true })).toMatchObject({
      status: 412,
      body: { status: 412, title: 'Precondition failed', code: 'CONCURRENCY_CONFLICT', expectedVersion: 2, actualVersion: 3 },
    });
    expect(toHttpError(conflict, { ifMatch: false }).status).toBe(409);
    expect(toHttpError(new AggregateNotFoundError('Order', 'o-1'), { ifMatch: true }).status).toBe(404);
  });

  it('lists validation issues without echoing the rejected input', () => {
    for (const error of [errors.EVENT_VALIDATION(), errors.SAGA_INPUT()]) {
      const { body } = toHttpError(error);
      expect(body['issues']).toEqual([
        { path: ['email'], message: expect.any(String), code: 'invalid_format' },
        { path: ['password'], message: expect.any(String), code: 'too_small' },
      ]);
      expect(JSON.stringify(body)).not.toContain('hunter2');
    }
    expect(toHttpError(errors.EVENT_VALIDATION()).body['eventType']).toBe('UserRegistered');
    expect(toHttpError(errors.SAGA_INPUT()).body['sagaName']).toBe('order');
  });

  it('carries the context a client acts on', () => {
    expect(toHttpError(errors.AGGREGATE_NOT_FOUND()).body).toMatchObject({ aggregateType: 'Order', aggregateId: 'o-9' });
    expect(toHttpError(errors.DUPLICATE_EVENT()).body).toMatchObject({ eventId: 'e-1' });
    expect(toHttpError(errors.INVALID_ARGUMENT()).body).toMatchObject({ argument: 'limit' });
    expect(toHttpError(errors.SAGA_UNKNOWN()).body).toMatchObject({ sagaId: 's-1' });
    // A type mismatch is a 404 for the resource asked for, and does not say what the id really is.
    const mismatch = toHttpError(errors.AGGREGATE_TYPE_MISMATCH()).body;
    expect(mismatch).toMatchObject({ aggregateId: 'u-1', aggregateType: 'Order' });
    expect(JSON.stringify(mismatch)).not.toContain('User');
  });

  it('keeps server errors opaque: no message, no context', () => {
    const { body } = toHttpError(errors.CONNECTION());
    expect(JSON.stringify(body)).not.toContain('10.0.0.5');
    const { body: decode } = toHttpError(errors.EVENT_DESERIALIZATION());
    expect(JSON.stringify(decode)).not.toContain('secret');
    expect(decode).not.toHaveProperty('globalPosition');
  });

  it('answers anything else with a bare 500 that leaks neither message nor stack', () => {
    const secret = new Error('password=hunter2 at db.internal');
    for (const thrown of [secret, 'a string', null, undefined, { code: 'CONCURRENCY_CONFLICT' }, Object.create(null)]) {
      const answer = toHttpError(thrown);
      expect(answer).toEqual({
        status: 500,
        headers: { 'content-type': PROBLEM_CONTENT_TYPE },
        body: { type: 'about:blank', title: 'Internal Server Error', status: 500 },
      });
    }
  });

  it('takes an instance and a type base', () => {
    const { body } = toHttpError(errors.AGGREGATE_NOT_FOUND(), { instance: '/orders/o-9', typeBase: 'https://api.example.com/problems/' });
    expect(body).toMatchObject({ type: 'https://api.example.com/problems/aggregate_not_found', instance: '/orders/o-9' });
    expect(toHttpError(new Error('x'), { instance: '/x' }).body.instance).toBe('/x');
  });
});
