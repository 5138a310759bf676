// Open311 GeoReport v2. What other modules may use; everything else here is internal.
export { open311DemoKey, seedOpen311DemoClient } from './clients.js';
export { open311ErrorHandler } from './errors.js';
