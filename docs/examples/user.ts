// The User domain that docs/getting-started.md builds: events, then the aggregate.
// #region events
import { z } from 'zod';
import { Aggregate, defineEvent, type EventOf } from '../../src/index.js';

export const UserRegistered = defineEvent(
  'UserRegistered',
  z.object({
    username: z.string().min(3).max(50),
    email: z.email(),
  }),
);

export const UserEmailChanged = defineEvent(
  'UserEmailChanged',
  z.object({ oldEmail: z.email(), newEmail: z.email() }),
);

export const UserDeactivated = defineEvent('UserDeactivated', z.object({ reason: z.string().min(1) }));

/** Every event of the User aggregate, to register with the store at startup. */
export const userEvents = [UserRegistered, UserEmailChanged, UserDeactivated] as const;
// #endregion

// #region aggregate
/** A broken business rule. Callers branch on the class, not on the message. */
export class UserRuleError extends Error {
  override name = 'UserRuleError';
}

export class User extends Aggregate {
  // The stored type name. Without it the class name is used, which a minifier may change.
  static override readonly aggregateType = 'User';

  username = '';
  email = '';
  isActive = false;

  // Commands: check the rules first, then record what happened with apply().
  register(username: string, email: string): void {
    if (!this.isNew()) throw new UserRuleError('User already registered');
    this.apply(UserRegistered.create({ username, email }));
  }

  changeEmail(newEmail: string): void {
    if (!this.isActive) throw new UserRuleError('User is not active');
    if (newEmail === this.email) return; // nothing happened, so nothing to record
    this.apply(UserEmailChanged.create({ oldEmail: this.email, newEmail }));
  }

  deactivate(reason: string): void {
    if (!this.isActive) throw new UserRuleError('User is not active');
    this.apply(UserDeactivated.create({ reason }));
  }

  // Handlers: apply<EventType>. They change state and never refuse: the event already happened.
  applyUserRegistered(event: EventOf<typeof UserRegistered>): void {
    this.username = event.data.username;
    this.email = event.data.email;
    this.isActive = true;
  }

  applyUserEmailChanged(event: EventOf<typeof UserEmailChanged>): void {
    this.email = event.data.newEmail;
  }

  applyUserDeactivated(_event: EventOf<typeof UserDeactivated>): void {
    this.isActive = false;
  }
}
// #endregion
