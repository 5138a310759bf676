// The audit log: writing entries, sealing and verifying the chain, CSV helpers. What other modules may use; everything else here is internal.
export { BOM, csvLine } from './csv.js';
export { describeVerification, recordAudit, sealAuditLog, verifyAuditChain } from './repository.js';
export { sealAnchor } from './anchors.js';
export { auditInsertSql } from './sql.js';
