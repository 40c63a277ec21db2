/**
 * The library's HTTP helpers, for every file of the example. Like ./eventuali.ts it points at the
 * repository's source; in your own project import from 'eventuali/http' instead.
 */
export * from '../../../src/http.js';
