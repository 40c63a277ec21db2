// The test files the docs show (docs/examples/*.spec.ts) live beside the examples, outside
// vitest's include pattern; importing them here registers their tests.
import '../../docs/examples/bank-account.spec.js';
import '../../docs/examples/cart.spec.js';
import '../../docs/examples/counting-adapter.spec.js';
import '../../docs/examples/read-models.spec.js';
import '../../docs/examples/saga-order.spec.js';
