import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Aggregate, ConcurrencyError, defineEvent, InvalidArgumentError, type EventOf } from '../../src/index.js';
import { scenario } from '../../src/testing.js';

const Registered = defineEvent('ScnRegistered', z.object({ email: z.email() }));
const EmailChanged = defineEvent('ScnEmailChanged', z.object({ oldEmail: z.email(), newEmail: z.email() }));
const Deactivated = defineEvent('ScnDeactivated', z.object({ reason: z.string() }));

class User extends Aggregate {
  static override readonly aggregateType = 'ScnUser';
  email = '';
  active = false;
  history: number[] = [];

  register(email: string): void {
    if (!this.isNew()) throw new InvalidArgumentError('user', 'already registered');
    this.apply(Registered.create({ email }));
  }

  changeEmail(newEmail: string): void {
    if (!this.active) throw new Error('User is inactive');
    if (newEmail === this.email) return;
    this.apply(EmailChanged.create({ oldEmail: this.email, newEmail }));
  }

  changeEmailWithMetadata(newEmail: string, metadata: Record<string, unknown>): void {
    this.apply(EmailChanged.create({ oldEmail: this.email, newEmail }, { metadata }));
  }

  async deactivate(reason: string): Promise<void> {
    await Promise.resolve();
    if (!this.active) throw new ConcurrencyError(this.id, this.version, this.version);
    this.apply(Deactivated.create({ reason }));
  }

  applyScnRegistered(event: EventOf<typeof Registered>): void {
    this.email = event.data.email;
    this.active = true;
    this.history.push(event.aggregateVersion);
  }

  applyScnEmailChanged(event: EventOf<typeof EmailChanged>): void {
    this.email = event.data.newEmail;
    this.history.push(event.aggregateVersion);
  }

  applyScnDeactivated(event: EventOf<typeof Deactivated>): void {
    this.active = false;
    this.history.push(event.aggregateVersion);
  }
}

const registered = () => Registered.create({ email: 'a@x.io' });

describe('scenario(...).given(...).when(...)', () => {
  it('rebuilds the aggregate from the given events, numbered from version 1', async () => {
    const outcome = await scenario(User, 'u-1')
      .given(registered(), EmailChanged.create({ oldEmail: 'a@x.io', newEmail: 'b@x.io' }))
      .when(() => undefined);
    expect(outcome.aggregate.id).toBe('u-1');
    expect(outcome.aggregate.version).toBe(2);
    expect(outcome.aggregate.history).toEqual([1, 2]);
    expect(outcome.aggregate.getUncommittedEvents()).toEqual([]);
    outcome.expectNoEvents().expectState({ email: 'b@x.io', active: true });
  });

  it('records the events the command applied', async () => {
    const outcome = await scenario(User).given(registered()).when((user) => user.changeEmail('b@x.io'));
    expect(outcome.events.map((e) => e.aggregateVersion)).toEqual([2]);
    outcome
      .expectEvents({ eventType: 'ScnEmailChanged', data: { oldEmail: 'a@x.io', newEmail: 'b@x.io' } })
      .expectState({ email: 'b@x.io' });
  });

  it('accepts events made by create() as expectations', async () => {
    const outcome = await scenario(User).when((user) => user.register('a@x.io'));
    outcome.expectEvents(Registered.create({ email: 'a@x.io' }));
  });

  it('awaits async commands', async () => {
    const outcome = await scenario(User).given(registered()).when((user) => user.deactivate('spam'));
    outcome.expectEvents({ eventType: 'ScnDeactivated', data: { reason: 'spam' } }).expectState({ active: false });
  });

  it('records an error thrown by a sync or async command instead of rejecting', async () => {
    const sync = await scenario(User).when((user) => user.changeEmail('b@x.io'));
    expect(sync.error).toBeInstanceOf(Error);
    expect(sync.events).toEqual([]);
    const asyncOutcome = await scenario(User).when((user) => user.deactivate('x'));
    expect(asyncOutcome.error).toBeInstanceOf(ConcurrencyError);
  });

  it('expectError matches by code, by class, by message pattern, or any error', async () => {
    const outcome = await scenario(User).given(registered()).when((user) => user.register('c@x.io'));
    outcome.expectError('INVALID_ARGUMENT').expectError(InvalidArgumentError).expectError(/already registered/).expectError();
    const plain = await scenario(User).when((user) => user.changeEmail('b@x.io'));
    plain.expectError(Error).expectError(/inactive/);
  });

  it('expectError matches by a predicate on the error', async () => {
    const outcome = await scenario(User).given(registered()).when((user) => user.register('c@x.io'));
    outcome.expectError((error) => error instanceof InvalidArgumentError && error.message.includes('already registered'));
    outcome.expectError(function isInvalid(error) {
      return error instanceof InvalidArgumentError;
    });
    expect(() => outcome.expectError((error) => error instanceof ConcurrencyError)).toThrow(AssertionError);
  });

  it('expectEvents with { metadata: true } compares metadata too', async () => {
    const outcome = await scenario(User)
      .given(registered())
      .when((user) => user.changeEmailWithMetadata('b@x.io', { userId: 'u-7' }));
    const data = { oldEmail: 'a@x.io', newEmail: 'b@x.io' };
    outcome.expectEvents([{ eventType: 'ScnEmailChanged', data, metadata: { userId: 'u-7' } }], { metadata: true });
    outcome.expectEvents([EmailChanged.create(data, { metadata: { userId: 'u-7' } })], { metadata: true });
    // Without the option metadata is not compared; with it, other metadata fails.
    outcome.expectEvents([{ eventType: 'ScnEmailChanged', data }]);
    expect(() => outcome.expectEvents([{ eventType: 'ScnEmailChanged', data, metadata: { userId: 'u-8' } }], { metadata: true })).toThrow(
      AssertionError,
    );
    expect(() => outcome.expectEvents([{ eventType: 'ScnEmailChanged', data }], { metadata: true })).toThrow(AssertionError);
  });

  it('records a thrown undefined as an error', async () => {
    const outcome = await scenario(User).when(() => {
      throw undefined;
    });
    outcome.expectError();
  });
});

describe('failing expectations throw AssertionError', () => {
  it('expectEvents with other events, other data, or when events are missing', async () => {
    const outcome = await scenario(User).given(registered()).when((user) => user.changeEmail('b@x.io'));
    expect(() => outcome.expectEvents({ eventType: 'ScnRegistered', data: { oldEmail: 'a@x.io', newEmail: 'b@x.io' } })).toThrow(AssertionError);
    expect(() => outcome.expectEvents({ eventType: 'ScnEmailChanged', data: { oldEmail: 'a@x.io', newEmail: 'c@x.io' } })).toThrow(AssertionError);
    expect(() => outcome.expectEvents()).toThrow(AssertionError);
    expect(() => outcome.expectNoEvents()).toThrow(AssertionError);
    const two = { eventType: 'ScnEmailChanged', data: { oldEmail: 'a@x.io', newEmail: 'b@x.io' } };
    expect(() => outcome.expectEvents(two, two)).toThrow(AssertionError);
  });

  it('expectEvents and expectNoEvents when the command threw', async () => {
    const outcome = await scenario(User).when((user) => user.changeEmail('b@x.io'));
    expect(() => outcome.expectNoEvents()).toThrow(AssertionError);
    expect(() => outcome.expectEvents()).toThrow(/inactive/);
  });

  it('expectError when the command succeeded', async () => {
    const outcome = await scenario(User).when((user) => user.register('a@x.io'));
    expect(() => outcome.expectError()).toThrow(AssertionError);
    expect(() => outcome.expectError('EVENT_VALIDATION')).toThrow(AssertionError);
  });

  it('expectError with the wrong code, class or pattern', async () => {
    const outcome = await scenario(User).given(registered()).when((user) => user.register('c@x.io'));
    expect(() => outcome.expectError('CONCURRENCY_CONFLICT')).toThrow(AssertionError);
    expect(() => outcome.expectError(ConcurrencyError)).toThrow(AssertionError);
    expect(() => outcome.expectError(/inactive/)).toThrow(AssertionError);
    const plain = await scenario(User).when((user) => user.changeEmail('b@x.io'));
    expect(() => plain.expectError('INVALID_ARGUMENT')).toThrow(AssertionError);
  });

  it('expectError for an invalid event reports EVENT_VALIDATION, not another code', async () => {
    const outcome = await scenario(User).when((user) => user.register('not-an-email'));
    outcome.expectError('EVENT_VALIDATION');
    expect(() => outcome.expectError('INVALID_ARGUMENT')).toThrow(AssertionError);
  });

  it('expectState with a different value, and when the command threw', async () => {
    const outcome = await scenario(User).given(registered()).when((user) => user.changeEmail('b@x.io'));
    expect(() => outcome.expectState({ email: 'a@x.io' })).toThrow(AssertionError);
    expect(() => outcome.expectState({ history: [1] })).toThrow(AssertionError);
    outcome.expectState({ history: [1, 2] });
    const failed = await scenario(User).when((user) => user.changeEmail('b@x.io'));
    expect(() => failed.expectState({ email: '' })).toThrow(AssertionError);
  });
});

describe('history that does not fit the aggregate', () => {
  it('rejects when a given event has no apply method', async () => {
    const Other = defineEvent('ScnOther', z.object({}));
    await expect(scenario(User).given(Other.create({})).when(() => undefined)).rejects.toMatchObject({
      code: 'MISSING_EVENT_HANDLER',
    });
  });
});
