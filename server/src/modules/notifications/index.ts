// The in-app inbox and the outbox with its delivery. What other modules may use; everything else here is internal.
export { defaultAdapters } from './delivery.js';
export type { DeliveryAdapter } from './delivery.js';
export { enqueue, notify } from './repository.js';
export type { NoticeKind } from './kinds.js';
export { startOutboxWorker } from './worker.js';
export { deleteDeliveredSms, deleteReadNotifications } from './retention.js';
export { noticeInsertSql, outboxInsertSql } from './sql.js';
