// Disputes (矛盾纠纷) and their mediation. What other modules may use; everything else here is internal.
export { seedMediationDemo } from './demo.js';
export { scanFollowUps } from './follow-up-scan.js';
