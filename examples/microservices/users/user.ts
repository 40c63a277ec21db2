// #region user-rules
import { Aggregate, type EventMetadata, type EventOf } from '../shared/eventuali.js';
import { DomainRuleError } from '../shared/domain-error.js';
import {
  UserActivated,
  UserDeactivated,
  UserEmailChanged,
  UserProfileUpdated,
  UserRegistered,
} from './events.js';

export interface Registration {
  username: string;
  email: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
}

// #elide … the ProfileChanges type
export interface ProfileChanges {
  firstName?: string | undefined;
  lastName?: string | undefined;
  phone?: string | undefined;
}
// #endelide

/** A user account: registered (and active), email and profile changes, deactivation and reactivation. */
export class User extends Aggregate {
  static override readonly aggregateType = 'User';

  username = '';
  email = '';
  firstName: string | null = null;
  lastName: string | null = null;
  phone: string | null = null;
  isActive = false;
  registrationDate: Date | null = null;
  activationDate: Date | null = null;
  deactivationDate: Date | null = null;

  register(registration: Registration, metadata: EventMetadata = {}): void {
    if (!this.isNew()) throw new DomainRuleError('User already registered', 'already_registered');
    this.apply(UserRegistered.create(registration, { metadata }));
  }

  changeEmail(newEmail: string, metadata: EventMetadata = {}): void {
    if (!this.isActive) throw new DomainRuleError('Cannot change email for inactive user', 'user_inactive');
    if (newEmail === this.email) throw new DomainRuleError('New email same as current', 'email_unchanged');
    this.apply(UserEmailChanged.create({ oldEmail: this.email, newEmail }, { metadata }));
  }
  // #elide … the other commands and the apply<Event> methods

  activate(activatedBy: string, reason = 'Account activated', metadata: EventMetadata = {}): void {
    if (this.isActive) throw new DomainRuleError('User already active', 'already_active');
    this.apply(UserActivated.create({ activatedBy, activationReason: reason }, { metadata }));
  }

  deactivate(deactivatedBy: string, reason: string, metadata: EventMetadata = {}): void {
    if (!this.isActive) throw new DomainRuleError('User already inactive', 'already_inactive');
    this.apply(UserDeactivated.create({ deactivatedBy, deactivationReason: reason }, { metadata }));
  }

  updateProfile(changes: ProfileChanges, metadata: EventMetadata = {}): void {
    if (!this.isActive) throw new DomainRuleError('Cannot update profile for inactive user', 'user_inactive');
    this.apply(UserProfileUpdated.create(changes, { metadata }));
  }

  applyUserRegistered(event: EventOf<typeof UserRegistered>): void {
    this.username = event.data.username;
    this.email = event.data.email;
    this.firstName = event.data.firstName ?? null;
    this.lastName = event.data.lastName ?? null;
    this.registrationDate = event.timestamp;
    this.isActive = true; // active on registration, as in the guide
  }

  applyUserEmailChanged(event: EventOf<typeof UserEmailChanged>): void {
    this.email = event.data.newEmail;
  }

  applyUserActivated(event: EventOf<typeof UserActivated>): void {
    this.isActive = true;
    this.activationDate = event.timestamp;
  }

  applyUserDeactivated(event: EventOf<typeof UserDeactivated>): void {
    this.isActive = false;
    this.deactivationDate = event.timestamp;
  }

  applyUserProfileUpdated(event: EventOf<typeof UserProfileUpdated>): void {
    if (event.data.firstName !== undefined) this.firstName = event.data.firstName;
    if (event.data.lastName !== undefined) this.lastName = event.data.lastName;
    if (event.data.phone !== undefined) this.phone = event.data.phone;
  }
  // #endelide
}
// #endregion

