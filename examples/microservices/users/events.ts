// #region imports
import { z } from 'zod';
import { defineEvent } from '../shared/eventuali.js';
import { UniqueValueClaimed, UniqueValueReleased } from './unique-claim.js';
// #endregion

/** The user service's events (the guide's, field names in camelCase as stored JSON). */

// #region user-events
export const UserRegistered = defineEvent(
  'UserRegistered',
  z.object({
    username: z.string().min(3).max(50),
    email: z.email(),
    firstName: z.string().max(100).optional(),
    lastName: z.string().max(100).optional(),
  }),
);

export const UserEmailChanged = defineEvent('UserEmailChanged', z.object({ oldEmail: z.email(), newEmail: z.email() }));

export const UserActivated = defineEvent('UserActivated', z.object({ activatedBy: z.string(), activationReason: z.string() }));

export const UserDeactivated = defineEvent(
  'UserDeactivated',
  z.object({ deactivatedBy: z.string(), deactivationReason: z.string() }),
);

export const UserProfileUpdated = defineEvent(
  'UserProfileUpdated',
  z.object({
    firstName: z.string().max(100).optional(),
    lastName: z.string().max(100).optional(),
    phone: z.string().max(40).optional(),
  }),
);
// #endregion

export const USER_EVENTS = [
  UserRegistered,
  UserEmailChanged,
  UserActivated,
  UserDeactivated,
  UserProfileUpdated,
  UniqueValueClaimed,
  UniqueValueReleased,
] as const;
