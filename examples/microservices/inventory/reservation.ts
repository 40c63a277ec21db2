import { defineDecider, type EventMetadata } from '../shared/eventuali.js';
import { DomainRuleError } from '../shared/domain-error.js';
import { InventoryCommitted, InventoryReleased, InventoryReserved, type StockLine } from './events.js';

export const reservationStreamId = (orderId: string): string => `reservation:${orderId}`;

export type ReservationStatus = 'none' | 'reserved' | 'released' | 'committed';

/** An order's hold on stock: reserved, then released (the order failed) or committed (it ships). */
export interface ReservationState {
  orderId: string;
  status: ReservationStatus;
  items: StockLine[];
}

export type ReservationCommand =
  | { type: 'Reserve'; orderId: string; items: StockLine[]; metadata?: EventMetadata }
  | { type: 'Release'; metadata?: EventMetadata }
  | { type: 'Commit'; metadata?: EventMetadata };

export const Reservation = defineDecider({
  streamType: 'InventoryReservation',
  events: [InventoryReserved, InventoryReleased, InventoryCommitted],
  initialState: (): ReservationState => ({ orderId: '', status: 'none', items: [] }),
  evolve: (state, event): ReservationState => {
    switch (event.eventType) {
      case 'InventoryReserved':
        return { orderId: event.data.orderId, items: event.data.items, status: 'reserved' };
      case 'InventoryReleased':
        return { ...state, status: 'released' };
      case 'InventoryCommitted':
        return { ...state, status: 'committed' };
    }
  },
  decide: (command: ReservationCommand, state) => {
    const { metadata = {} } = command;
    const { orderId, items, status } = state;
    switch (command.type) {
      case 'Reserve':
        if (status !== 'none') throw new DomainRuleError(`Stock for order ${command.orderId} is already ${status}`);
        return InventoryReserved.create({ orderId: command.orderId, items: command.items }, { metadata });
      case 'Release':
        if (status === 'committed') throw new DomainRuleError(`Stock for order ${orderId} is already committed (shipped out)`, 'already_committed');
        return status === 'reserved' ? InventoryReleased.create({ orderId, items }, { metadata }) : [];
      case 'Commit':
        if (status === 'released') throw new DomainRuleError(`Stock for order ${orderId} was released`, 'already_released');
        return status === 'reserved' ? InventoryCommitted.create({ orderId, items }, { metadata }) : [];
    }
  },
});
