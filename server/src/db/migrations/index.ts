import type { Migration } from 'kysely';
import * as foundation from './20261121_0001_foundation.js';
import * as calendarNotifications from './20261121_0002_calendar_notifications.js';
import * as cases from './20261121_0003_cases.js';
import * as open311 from './20261121_0004_open311.js';
import * as auditChain from './20261121_0005_audit_chain.js';
import * as personalData from './20261121_0006_personal_data.js';
import * as authHardening from './20261121_0007_auth_hardening.js';
import * as labelsRetention from './20261121_0008_labels_retention.js';
import * as gridwork from './20261121_0010_gridwork.js';
import * as mediation from './20261121_0009_mediation.js';
import * as dashboards from './20261122_0011_dashboards.js';
import * as referenceRevision from './20261122_0012_reference_revision.js';
import * as gridRevision from './20261122_0013_grid_revision.js';
import * as auditSeal from './20261124_0014_audit_seal.js';
import * as attachmentLabel from './20261124_0015_attachment_label.js';
import * as accessRecords from './20261203_0014_access_records.js';

/** Every migration, in order. Add new files with a timestamp prefix and list them here. */
export const migrations: Record<string, Migration> = {
  '20261121_0001_foundation': foundation,
  '20261121_0002_calendar_notifications': calendarNotifications,
  '20261121_0003_cases': cases,
  '20261121_0004_open311': open311,
  '20261121_0005_audit_chain': auditChain,
  '20261121_0006_personal_data': personalData,
  '20261121_0007_auth_hardening': authHardening,
  '20261121_0008_labels_retention': labelsRetention,
  '20261121_0009_mediation': mediation,
  '20261121_0010_gridwork': gridwork,
  '20261122_0011_dashboards': dashboards,
  '20261122_0012_reference_revision': referenceRevision,
  '20261122_0013_grid_revision': gridRevision,
  '20261124_0014_audit_seal': auditSeal,
  '20261124_0015_attachment_label': attachmentLabel,
  '20261203_0014_access_records': accessRecords,
};
