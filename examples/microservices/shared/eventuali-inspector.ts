/**
 * The library's web inspector, for the gateway. Like ./eventuali.ts it points at the repository's
 * source; in your own project import from 'eventuali/inspector' instead.
 */
export * from '../../../src/inspector.js';
