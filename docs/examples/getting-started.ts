// docs/getting-started.md: open a store, save, load, update, read.
// #region imports
import { EventStore, type Event } from '../../src/index.js';
import { User, userEvents } from './user.js';
// #endregion

// #region open
export async function openStore(url: string): Promise<EventStore> {
  const store = await EventStore.create(url);
  // Reads decode only event types the store knows. save() registers what it writes, but a
  // process that reads first (after a restart) needs them registered up front.
  store.register(...userEvents);
  return store;
}
// #endregion

// #region register
export async function registerUser(store: EventStore, username: string, email: string): Promise<string> {
  const user = new User(); // a random UUID; new User('u-42') picks the id
  user.register(username, email);
  const committed = await store.save(user); // the stored events, with their globalPosition
  console.log(`${committed.length} event(s) saved; ${user.username} is at version ${user.version}`);
  return user.id;
}
// #endregion

// #region update
export async function changeEmail(store: EventStore, userId: string, newEmail: string): Promise<User> {
  // Load, run the command, save. If another writer saved the user in between, the save throws
  // ConcurrencyError and update() reloads and runs the command again (3 more times by default).
  return store.update(User, userId, (user) => user.changeEmail(newEmail));
}
// #endregion

// #region read
export async function showUser(store: EventStore, userId: string): Promise<Event[]> {
  const user = await store.load(User, userId); // null when the id has no events
  console.log(user?.email, user?.version);
  return store.loadEvents(userId); // every event of this user, version 1 first
}
// #endregion

// #region main
export async function main(url = 'sqlite://./data/events.db') {
  const store = await openStore(url);
  try {
    const userId = await registerUser(store, 'ann', 'ann@example.com');
    await changeEmail(store, userId, 'ann@example.org');
    const events = await showUser(store, userId);
    return events.map((event) => `${event.aggregateVersion} ${event.eventType}`);
    // ['1 UserRegistered', '2 UserEmailChanged']
  } finally {
    await store.close();
  }
}
// #endregion
