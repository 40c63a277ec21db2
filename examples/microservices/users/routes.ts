// #region imports
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { EventStore } from '../shared/eventuali.js';
import { requestMetadata } from '../shared/correlation.js';
import { NotFoundError } from '../shared/domain-error.js';
import { IdParams, StorableString, Text, parseInput } from '../shared/validation.js';
import { claimValue, normalizedValue, releaseValue, transactionWithRetry } from './unique-claim.js';
import { User } from './user.js';
// #endregion

// #region register-body
const Name = Text(100).nullish();

const RegisterBody = z.object({
  username: StorableString().trim().min(3).max(50),
  email: z.email().max(254),
  first_name: Name,
  last_name: Name,
});
// #endregion

// #region change-email-body
const ChangeEmailBody = z.object({ new_email: z.email().max(254) });
// #endregion

const ProfileBody = z
  .object({
    first_name: Name,
    last_name: Name,
    phone: z.string().regex(/^[+0-9 ().-]{3,40}$/, 'must be a phone number').nullish(),
  })
  .refine((b) => b.first_name != null || b.last_name != null || b.phone != null, 'give at least one of first_name, last_name, phone');

const ActivateBody = z.object({ activated_by: Text().optional(), reason: Text(500).optional() }).optional();
const DeactivateBody = z.object({ deactivated_by: Text().optional(), reason: Text(500).optional() }).optional();

// #region user-response
/** The guide's UserResponse. */
export function userResponse(user: User) {
  return {
    user_id: user.id,
    username: user.username,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    phone: user.phone,
    is_active: user.isActive,
    registration_date: user.registrationDate?.toISOString() ?? null,
    version: user.version,
  };
}
// #endregion

// #region routes-head
/** `POST /users`, `GET /users/:id`, `PUT /users/:id/email`, `PUT /users/:id/profile`, `POST /users/:id/(de)activate`. */
export function registerUserRoutes(app: FastifyInstance, store: EventStore): void {
// #endregion
  // #region register-user
  app.post('/users', async (request, reply) => {
    const body = parseInput(RegisterBody, request.body, 'body');
    const metadata = requestMetadata(request.id);
    // The user and the claims on its username and email commit together, or not at all (409).
    const user = await transactionWithRetry(store, async (tx) => {
      const user = new User(randomUUID());
      user.register({ username: body.username, email: body.email, firstName: body.first_name ?? undefined, lastName: body.last_name ?? undefined }, metadata);
      await claimValue(tx, 'username', body.username, user.id, metadata);
      await claimValue(tx, 'email', body.email, user.id, metadata);
      await tx.save(user);
      return user;
    });
    request.log.info({ user_id: user.id }, 'user registered');
    return reply.status(201).send(userResponse(user));
  });
  // #endregion
// #region routes-end
  // #elide … the other routes

  app.get('/users/:id', async (request) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const user = await store.load(User, id);
    if (!user) throw new NotFoundError('User', id);
    return userResponse(user);
  });

  // #region change-email
  app.put('/users/:id/email', async (request) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const body = parseInput(ChangeEmailBody, request.body, 'body');
    const metadata = requestMetadata(request.id);
    // The new email is claimed and the old one given back, with the change, in one transaction.
    const user = await transactionWithRetry(store, async (tx) => {
      const user = await tx.load(User, id);
      if (!user) throw new NotFoundError('User', id);
      const oldEmail = user.email;
      user.changeEmail(body.new_email, metadata);
      if (normalizedValue('email', oldEmail) !== normalizedValue('email', body.new_email)) {
        await claimValue(tx, 'email', body.new_email, user.id, metadata);
        await releaseValue(tx, 'email', oldEmail, user.id, metadata);
      }
      await tx.save(user);
      return user;
    });
    return userResponse(user);
  });
  // #endregion

  app.put('/users/:id/profile', async (request) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const body = parseInput(ProfileBody, request.body, 'body');
    const changes = { firstName: body.first_name ?? undefined, lastName: body.last_name ?? undefined, phone: body.phone ?? undefined };
    const user = await store.update(User, id, (u) => u.updateProfile(changes, requestMetadata(request.id)));
    return userResponse(user);
  });

  app.post('/users/:id/deactivate', async (request) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const body = parseInput(DeactivateBody, request.body, 'body');
    const user = await store.update(User, id, (u) =>
      u.deactivate(body?.deactivated_by ?? 'api', body?.reason ?? 'Deactivated through the API', requestMetadata(request.id)),
    );
    return userResponse(user);
  });

  app.post('/users/:id/activate', async (request) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const body = parseInput(ActivateBody, request.body, 'body');
    const user = await store.update(User, id, (u) =>
      u.activate(body?.activated_by ?? 'api', body?.reason ?? 'Account activated', requestMetadata(request.id)),
    );
    return userResponse(user);
  });
  // #endelide
// #region routes-close
}
// #endregion
// #endregion
