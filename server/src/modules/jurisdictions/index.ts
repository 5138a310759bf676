// The four-level tree of places: codes, scope, import. What other modules may use; everything else here is internal.
export { LEVELS } from './codes.js';
export { ImportError, chinaDivisionCity, importJurisdictions, parseDivisionCsv } from './import.js';
export { allPlaces, childrenOf, codesAtLevel, findByCodes, findInScope, upsertJurisdictions } from './repository.js';
export { inScope, placeName, under } from './scope.js';
export type { Scope } from './scope.js';
