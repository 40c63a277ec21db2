// The README's quick start. test/docs/snippets.test.ts runs main() against a temporary file.
// #region quick-start
import { z } from 'zod';
import { Aggregate, EventStore, defineEvent, type EventOf } from '../../src/index.js';

const TaskAdded = defineEvent('TaskAdded', z.object({ title: z.string().min(1) }));
class TodoList extends Aggregate {
  static override readonly aggregateType = 'TodoList';
  titles: string[] = [];
  add(title: string) { this.apply(TaskAdded.create({ title })); }
  applyTaskAdded(event: EventOf<typeof TaskAdded>) { this.titles.push(event.data.title); }
}

export async function main(url = 'sqlite://./data/events.db') {
  const store = await EventStore.create(url);
  const list = new TodoList();
  list.add('Write the docs');
  await store.save(list);
  const again = await store.load(TodoList, list.id);
  await store.close();
  return again?.titles; // ['Write the docs']
}
// #endregion
