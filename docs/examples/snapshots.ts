// docs/event-store.md, "Snapshots".
// #region imports
import { z } from 'zod';
import { Aggregate, EventStore, defineEvent, type EventOf } from '../../src/index.js';
import { openSqliteAdapter } from '../../src/sqlite.js';

export const PointsEarned = defineEvent('PointsEarned', z.object({ points: z.bigint().positive(), at: z.date() }));
// #endregion

// #region points
/** A value class: a plain JSON copy of it would lose its methods. */
export class Points {
  constructor(readonly value: bigint) {}
  plus(other: bigint): Points {
    return new Points(this.value + other);
  }
}
// #endregion

// #region aggregate
const LoyaltyState = z.object({ total: z.bigint(), lastEarnedAt: z.date().nullable(), earnedBy: z.map(z.string(), z.bigint()) });

export class LoyaltyCard extends Aggregate {
  static override readonly aggregateType = 'LoyaltyCard';
  // Bump when the state below changes shape: load() then ignores snapshots of the old shape
  // and replays the events instead (it never reads a snapshot with another snapshotVersion).
  static override readonly snapshotVersion = 2;

  total = new Points(0n);
  lastEarnedAt: Date | null = null;
  earnedBy = new Map<string, bigint>(); // by year; Maps, Sets, Dates and bigints survive a snapshot

  earn(points: bigint, at = new Date()): void {
    this.apply(PointsEarned.create({ points, at }));
  }

  applyPointsEarned(event: EventOf<typeof PointsEarned>): void {
    this.total = this.total.plus(event.data.points);
    this.lastEarnedAt = event.data.at;
    const year = String(event.data.at.getUTCFullYear());
    this.earnedBy.set(year, (this.earnedBy.get(year) ?? 0n) + event.data.points);
  }

  // The default snapshot is a copy of the instance's own fields. Points is a class, so say how
  // to store it and how to rebuild it.
  override toSnapshot(): z.input<typeof LoyaltyState> {
    return { total: this.total.value, lastEarnedAt: this.lastEarnedAt, earnedBy: this.earnedBy };
  }

  override restoreSnapshot(state: unknown): void {
    const s = LoyaltyState.parse(state);
    this.total = new Points(s.total);
    this.lastEarnedAt = s.lastEarnedAt;
    this.earnedBy = s.earnedBy;
  }
}
// #endregion

// #region options
export async function openWithSnapshots(url: string): Promise<EventStore> {
  // A snapshot is written after a save that takes an aggregate's version across a multiple of
  // 100 (100, 200, …). load() starts from the newest one and replays only the events after it.
  return (await EventStore.create(url, { snapshotEvery: 100 })).register(PointsEarned);
}
// #endregion

export async function main(file: string) {
  const store = await openWithSnapshots(`sqlite://${file}`);
  const inspect = await openSqliteAdapter(file); // a second connection, to look at the snapshot row
  try {
    const card = new LoyaltyCard('card-1');
    for (let i = 0; i < 150; i++) card.earn(10n, new Date(Date.UTC(2025, 0, 1 + i)));
    await store.save(card); // version 0 → 150 crosses 100: a snapshot is written at version 150
    const snapshot = await inspect.loadSnapshot('card-1', LoyaltyCard.snapshotVersion);
    const loaded = await store.load(LoyaltyCard, 'card-1');
    return {
      snapshotAt: snapshot?.aggregateVersion,
      total: loaded?.total.value,
      isPoints: loaded?.total instanceof Points,
      lastEarnedAt: loaded?.lastEarnedAt,
      earnedBy: loaded?.earnedBy,
      version: loaded?.version,
    };
  } finally {
    await inspect.close();
    await store.close();
  }
}
