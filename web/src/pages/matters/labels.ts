import type { MessageKey } from '../../i18n';

export const PRIORITIES = ['normal', 'urgent', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const PRIORITY_TAGS: Record<Priority, { color: string; label: MessageKey }> = {
  normal: { color: 'default', label: 'matter.priority.normal' },
  urgent: { color: 'orange', label: 'matter.priority.urgent' },
  critical: { color: 'red', label: 'matter.priority.critical' },
};

export const LEVELS = ['community', 'street', 'district', 'city'] as const;
