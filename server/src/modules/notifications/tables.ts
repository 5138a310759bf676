import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** The in-app inbox: one row per user and message. */
export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  title: string;
  body: string;
  case_id: number | null;
  /** the record the notice is about (access/registry.ts names the kinds): shown only while its reader may see it */
  record_kind: string | null;
  record_id: number | null;
  read_at: Date | null;
  created_at: Timestamp;
}

/** Side effects (SMS, webhooks) written in the same transaction as the change, delivered after commit. */
export interface OutboxMessageTable {
  id: Generated<number>;
  channel: 'sms' | 'webhook';
  recipient: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
}

export interface NotificationTables {
  notification: NotificationTable;
  outbox_message: OutboxMessageTable;
}
