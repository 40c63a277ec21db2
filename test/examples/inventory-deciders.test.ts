import { describe, it } from 'vitest';
import { deciderScenario } from '../../src/testing.js';
import { DomainRuleError } from '../../examples/microservices/shared/domain-error.js';
import { InventoryCommitted, InventoryReleased, InventoryReserved, ProductStocked, StockCommitted, StockReleased, StockReserved } from '../../examples/microservices/inventory/events.js';
import { Product } from '../../examples/microservices/inventory/product.js';
import { Reservation } from '../../examples/microservices/inventory/reservation.js';

/** The inventory's deciders, without a store: the rules the HTTP tests exercise through the saga. */
const stocked = ProductStocked.create({ productId: 'widget', name: 'Widget', quantity: 3 });
const reserved = StockReserved.create({ orderId: 'o-1', quantity: 2 });
const items = [{ productId: 'widget', quantity: 2 }];

describe('the Product decider', () => {
  it('stocks, reserves what is available and refuses more', () => {
    deciderScenario(Product).given([]).when({ type: 'Stock', productId: 'widget', name: 'Widget', quantity: 3 }).then([stocked]);
    deciderScenario(Product).given([stocked]).when({ type: 'Reserve', orderId: 'o-1', quantity: 2 }).then([reserved]);
    deciderScenario(Product).given([stocked, reserved]).when({ type: 'Reserve', orderId: 'o-2', quantity: 2 }).thenThrows((e) => e instanceof DomainRuleError && e.reason === 'insufficient_stock');
    deciderScenario(Product).given([stocked]).when({ type: 'Stock', productId: 'gadget', name: 'Gadget', quantity: 1 }).thenThrows(DomainRuleError);
  });

  it('releases an order’s stock once, commits only what the order holds', () => {
    deciderScenario(Product).given([stocked, reserved]).when({ type: 'Release', orderId: 'o-1' }).then([StockReleased.create({ orderId: 'o-1', quantity: 2 })]);
    deciderScenario(Product).given([stocked, reserved, StockReleased.create({ orderId: 'o-1', quantity: 2 })]).when({ type: 'Release', orderId: 'o-1' }).then([]);
    deciderScenario(Product).given([stocked, reserved]).when({ type: 'Commit', orderId: 'o-1' }).then([StockCommitted.create({ orderId: 'o-1', quantity: 2 })]);
    deciderScenario(Product).given([stocked]).when({ type: 'Commit', orderId: 'o-1' }).thenThrows(DomainRuleError);
  });
});

describe('the Reservation decider', () => {
  const held = InventoryReserved.create({ orderId: 'o-1', items });
  it('reserves once, then releases or commits once', () => {
    deciderScenario(Reservation).given([]).when({ type: 'Reserve', orderId: 'o-1', items }).then([held]);
    deciderScenario(Reservation).given([held]).when({ type: 'Reserve', orderId: 'o-1', items }).thenThrows(DomainRuleError);
    deciderScenario(Reservation).given([held]).when({ type: 'Release' }).then([InventoryReleased.create({ orderId: 'o-1', items })]);
    deciderScenario(Reservation).given([held]).when({ type: 'Commit' }).then([InventoryCommitted.create({ orderId: 'o-1', items })]);
    deciderScenario(Reservation).given([held, InventoryCommitted.create({ orderId: 'o-1', items })]).when({ type: 'Commit' }).then([]);
  });

  it('refuses to release committed stock or commit released stock', () => {
    const committed = InventoryCommitted.create({ orderId: 'o-1', items });
    const released = InventoryReleased.create({ orderId: 'o-1', items });
    deciderScenario(Reservation).given([held, committed]).when({ type: 'Release' }).thenThrows((e) => e instanceof DomainRuleError && e.reason === 'already_committed');
    deciderScenario(Reservation).given([held, released]).when({ type: 'Commit' }).thenThrows((e) => e instanceof DomainRuleError && e.reason === 'already_released');
  });
});
