// The matter catalogue, the responsibility matrix and routing. What other modules may use; everything else here is internal.
export { MATTER_CATEGORIES } from './catalogue.js';
export type { MatterCategory } from './catalogue.js';
export { activeMatterTypes, findMatterType, listMatterTypes, matterField, mattersChangedAt, responsibilityCells, seedDefaultCatalogue } from './repository.js';
export { NowhereToRouteError, resolveResponsible } from './routing.js';
export type { DepartmentRef, MatrixEntry } from './routing.js';
