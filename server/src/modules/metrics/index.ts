// The hotline's rates and the city-management indicators. What other modules may use; everything else here is internal.
export { refreshCaseMetrics } from './rollup.js';
