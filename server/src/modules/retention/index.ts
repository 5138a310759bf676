// Retention of personal data across the modules that hold it (docs/SECURITY.md, "Retention"). What other modules may use.
export { anonymiseExpired } from './run.js';
