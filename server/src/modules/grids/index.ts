// Grids: the per-process locator, filed changes, the grid routes. What other modules may use; everything else here is internal.
export { GridLocator } from './locator.js';
export { insertGrids } from './repository.js';
export { gridRoutes } from './routes.js';
export type { GridIndex } from './spatial-index.js';
