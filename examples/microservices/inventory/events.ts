import { z } from 'zod';
import { defineEvent } from '../shared/eventuali.js';

/**
 * The inventory service's events. The guide names the inventory service but not its events:
 * a product's stock moves available → reserved (for an order) → released back or committed
 * (shipped out); an order's reservation records which products it holds.
 */

const Quantity = z.number().int().positive();
const StockLine = z.object({ productId: z.string(), quantity: Quantity });

/** Stock arrived: a new product, or more of one. */
export const ProductStocked = defineEvent('ProductStocked', z.object({ productId: z.string(), name: z.string(), quantity: Quantity }));
/** Stock of one product set aside for an order. */
export const StockReserved = defineEvent('StockReserved', z.object({ orderId: z.string(), quantity: Quantity }));
/** An order's reserved stock of one product went back to available. */
export const StockReleased = defineEvent('StockReleased', z.object({ orderId: z.string(), quantity: Quantity }));
/** An order's reserved stock of one product left the warehouse. */
export const StockCommitted = defineEvent('StockCommitted', z.object({ orderId: z.string(), quantity: Quantity }));

/** An order's reservation, across its products. */
export const InventoryReserved = defineEvent('InventoryReserved', z.object({ orderId: z.string(), items: z.array(StockLine).min(1) }));
export const InventoryReleased = defineEvent('InventoryReleased', z.object({ orderId: z.string(), items: z.array(StockLine) }));
export const InventoryCommitted = defineEvent('InventoryCommitted', z.object({ orderId: z.string(), items: z.array(StockLine) }));

export type StockLine = z.infer<typeof StockLine>;

export const INVENTORY_EVENTS = [
  ProductStocked,
  StockReserved,
  StockReleased,
  StockCommitted,
  InventoryReserved,
  InventoryReleased,
  InventoryCommitted,
] as const;
