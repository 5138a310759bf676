// Deployment settings. What other modules may use; everything else here is internal.
export { getSetting } from './repository.js';
