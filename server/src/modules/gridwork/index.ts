// Grid workers: profiles, assignments, patrols, visits, the daily log. What other modules may use; everything else here is internal.
export { currentGridIds, currentWorkersOfGrids, visitsOfPerson } from './repository.js';
