// Grids: the per-process locator, filed changes, grid lists. What other modules may use; everything else here is internal.
export { GridLocator } from './locator.js';
export { countActiveGrids, gridField, gridPlace, insertGrids } from './repository.js';
export type { GridIndex } from './spatial-index.js';
