import { Aggregate, type EventMetadata, type EventOf } from '../shared/eventuali.js';
import { DomainRuleError } from '../shared/domain-error.js';
import { InventoryCommitted, InventoryReleased, InventoryReserved, type StockLine } from './events.js';

export const reservationStreamId = (orderId: string): string => `reservation:${orderId}`;

export type ReservationStatus = 'none' | 'reserved' | 'released' | 'committed';

/** An order's hold on stock: reserved, then released (the order failed) or committed (it ships). */
export class Reservation extends Aggregate {
  static override readonly aggregateType = 'InventoryReservation';

  orderId = '';
  status: ReservationStatus = 'none';
  items: StockLine[] = [];

  reserve(orderId: string, items: StockLine[], metadata: EventMetadata = {}): void {
    if (this.status !== 'none') throw new DomainRuleError(`Stock for order ${orderId} is already ${this.status}`);
    this.apply(InventoryReserved.create({ orderId, items }, { metadata }));
  }

  release(metadata: EventMetadata = {}): void {
    if (this.status === 'committed') {
      throw new DomainRuleError(`Stock for order ${this.orderId} is already committed (shipped out)`, 'already_committed');
    }
    if (this.status !== 'reserved') return;
    this.apply(InventoryReleased.create({ orderId: this.orderId, items: this.items }, { metadata }));
  }

  commit(metadata: EventMetadata = {}): void {
    if (this.status === 'released') throw new DomainRuleError(`Stock for order ${this.orderId} was released`, 'already_released');
    if (this.status !== 'reserved') return;
    this.apply(InventoryCommitted.create({ orderId: this.orderId, items: this.items }, { metadata }));
  }

  applyInventoryReserved(event: EventOf<typeof InventoryReserved>): void {
    this.orderId = event.data.orderId;
    this.items = event.data.items;
    this.status = 'reserved';
  }

  applyInventoryReleased(): void {
    this.status = 'released';
  }

  applyInventoryCommitted(): void {
    this.status = 'committed';
  }
}
