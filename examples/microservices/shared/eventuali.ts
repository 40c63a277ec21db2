/**
 * The library, for every file of the example. The example runs against the repository's source so
 * `npm run demo` needs no build; in your own project import from 'eventuali' instead.
 */
export * from '../../../src/index.js';
