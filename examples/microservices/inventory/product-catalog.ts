// #region catalog
import { z } from 'zod';
import { defineReadModel } from '../shared/eventuali.js';
import { ProductStocked, StockCommitted, StockReleased, StockReserved } from './events.js';

export const CatalogEntry = z.object({
  productId: z.string(),
  name: z.string(),
  available: z.number().int().nonnegative(),
  reserved: z.number().int().nonnegative(),
  committed: z.number().int().nonnegative(),
});
export type CatalogEntry = z.infer<typeof CatalogEntry>;

/**
 * The product list: one document per product stream, kept by `store.projection(ProductCatalog)`
 * from the Product decider's events, in a table of its own (`find` with filters and paging).
 */
export const ProductCatalog = defineReadModel({
  name: 'product_catalog',
  schema: CatalogEntry,
  events: [ProductStocked, StockReserved, StockReleased, StockCommitted],
  evolve: (doc, event): CatalogEntry | null => {
    switch (event.eventType) {
      case 'ProductStocked':
        return doc
          ? { ...doc, name: event.data.name, available: doc.available + event.data.quantity }
          : { productId: event.data.productId, name: event.data.name, available: event.data.quantity, reserved: 0, committed: 0 };
      case 'StockReserved':
        return doc && { ...doc, available: doc.available - event.data.quantity, reserved: doc.reserved + event.data.quantity };
      case 'StockReleased':
        return doc && { ...doc, available: doc.available + event.data.quantity, reserved: doc.reserved - event.data.quantity };
      case 'StockCommitted':
        return doc && { ...doc, reserved: doc.reserved - event.data.quantity, committed: doc.committed + event.data.quantity };
    }
  },
  indexes: ['name', 'available'],
});
// #endregion
