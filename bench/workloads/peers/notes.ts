/**
 * Why a peer-comparison target is missed, written next to the figure in RESULTS.md: each missed
 * check gets the reason the profile (docs/performance.md) found for that workload and store.
 */
import type { ResultRow } from '../../lib/results.js';

type StoreKind = 'sqlite' | 'postgres';

const SQLITE_READ =
  'SQLite reads are bound by better-sqlite3 building one JavaScript object per row (about 1.7 of the 2.5 µs eventuali spends per ' +
  'event, bench/profile/hot-paths.ts); eventuali then decodes each row into an envelope and validates its data with zod (about ' +
  '0.6 µs more), which Emmett (JSON.parse only, no schema) and raw do not; the cheap lever is better-sqlite3\'s raw (array) ' +
  'row mode in the SQLite adapter, measured at 0.84 instead of 1.6–2.1 µs per row (docs/performance.md)';
const PG_READ =
  'on PostgreSQL both read through pg, whose row parsing and the round trip dominate; eventuali adds envelope decoding and zod ' +
  'validation of every event (about 0.6 µs per event, validateOnRead: true by default), Emmett validates nothing';
const PG_APPEND =
  'both are bound by the commit\'s WAL flush (fsync, about 0.5 ms here), which no client-side saving removes: eventuali\'s ' +
  'one-statement append saves Emmett\'s two extra round trips (BEGIN and COMMIT around its emt_append_to_stream call, about ' +
  '0.1 ms each on a local server); across quick runs this ratio moved between 1.2× and 2.4× (fsync-bound figures take the ' +
  'noise of other work on the machine hardest)';
const PG_LOG =
  'eventuali reads the log in commit order: `ORDER BY transaction_id, global_position` below the oldest open transaction, ' +
  'resuming with a row comparison that looks the last transaction id up, so a late commit is never skipped; raw pages by ' +
  '`global_position` alone (fast, but it can skip an event whose transaction commits late), Emmett\'s guard skips events when ' +
  'transactions interleave (docs/performance.md); eventuali also decodes and validates every event. A single pass over the ' +
  'quick mode\'s 10,000 events takes under 0.1 s, so the quick figure is noisy'
const CATCH_UP_PG =
  'per batch of 100 eventuali\'s subscription reads under the visibility guard (events below the oldest open transaction), ' +
  'decodes and validates each event and runs the delivery loop; that is about 2 ms more per batch than raw\'s page query, the ' +
  'same shortfall as i3a (bench/RESULTS.md, 0.30×)';

/** Reasons by row id, store kind and the contender the check compares with. */
const REASONS: Record<string, Partial<Record<StoreKind, { emmett?: string; raw?: string }>>> = {
  p1: { postgres: { emmett: PG_APPEND } },
  p2: { postgres: { emmett: PG_APPEND } },
  p3: { postgres: { emmett: PG_APPEND } },
  p4: { sqlite: { emmett: SQLITE_READ, raw: SQLITE_READ }, postgres: { emmett: PG_READ, raw: PG_READ } },
  p5: { sqlite: { emmett: SQLITE_READ, raw: SQLITE_READ }, postgres: { emmett: PG_READ, raw: PG_READ } },
  p6: { sqlite: { emmett: SQLITE_READ, raw: SQLITE_READ }, postgres: { emmett: PG_LOG, raw: PG_LOG } },
  p7: { sqlite: { raw: SQLITE_READ }, postgres: { raw: `${CATCH_UP_PG}; ${PG_LOG}` } },
};

/** A fallback when the profile found no cause: the rounds' range (the note above) tells noise apart. */
const UNEXPLAINED =
  'not expected from the profile (docs/performance.md, "Profile of the hot paths"): compare the rounds\' range above; on a ' +
  'shared machine a burst of load during one contender\'s rounds shows here';
const GENERIC = { emmett: UNEXPLAINED, raw: UNEXPLAINED };

export function peerNotes(row: ResultRow): string[] {
  const kind: StoreKind = row.store.startsWith('PostgreSQL') ? 'postgres' : 'sqlite';
  const notes: string[] = [];
  for (const check of row.checks) {
    if (check.met !== false) continue;
    const against = check.label.endsWith('emmett') ? 'emmett' : 'raw';
    const reason = REASONS[row.id]?.[kind]?.[against] ?? GENERIC[against];
    notes.push(`${check.label} below target: ${reason}`);
  }
  return notes;
}
