import '../../messages/cases';
import { Tag, Tooltip } from 'antd';
import { ClockCircleOutlined, FireOutlined } from '@ant-design/icons';
import type { CaseSummary } from '../../api/client';
import { formatDateTime, formatDuration } from '../../format';
import { useI18n, type MessageKey } from '../../i18n';
import { useNow, type Vocabulary } from '../../hooks/useCaseData';

export const CHANNELS = ['hotline', 'grid', 'petition', 'police', 'inspection', 'portal', 'api', 'open311'] as const;
export const STAFF_CHANNELS = ['hotline', 'grid', 'petition', 'police', 'inspection', 'portal', 'api'] as const;
export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;

export const channelKey = (c: string) => `case.channel.${c}` as MessageKey;
export const ratingKey = (r: string) => `case.rating.${r}` as MessageKey;

const STATUS_COLORS: Record<string, string> = {
  received: 'default',
  accepted: 'cyan',
  registered: 'blue',
  dispatched: 'geekblue',
  signed: 'processing',
  returned: 'orange',
  fed_back: 'purple',
  closed: 'success',
};

export function StatusTag({ status, vocab, testId }: { status: string; vocab: Vocabulary; testId?: string }) {
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid={testId} data-status={status} style={{ marginInlineEnd: 0 }}>
      {vocab.statusLabel(status)}
    </Tag>
  );
}

export function ChannelLabel({ channel }: { channel: string }) {
  const { t } = useI18n();
  return <>{(CHANNELS as readonly string[]).includes(channel) ? t(channelKey(channel)) : channel}</>;
}

type DeadlineFields = Pick<CaseSummary, 'deadline' | 'warningLevel' | 'overdue' | 'statusType' | 'closedAt'>;

/**
 * The deadline as a coloured tag with a countdown: blue while there is time, yellow and red as the server's
 * warning levels rise, red with "overdue" once passed; a closed case shows whether it closed in time.
 */
export function DeadlineTag({ c, testId, showDate = false }: { c: DeadlineFields; testId?: string; showDate?: boolean }) {
  const { lang, t } = useI18n();
  const now = useNow();
  if (!c.deadline) return <span data-testid={testId}>—</span>;
  const deadline = new Date(c.deadline).getTime();
  const date = formatDateTime(lang, c.deadline);
  const common = { 'data-testid': testId, 'data-deadline': c.deadline, style: { marginInlineEnd: 0 } };
  if (c.statusType === 'closed') {
    const late = c.closedAt !== null && new Date(c.closedAt).getTime() > deadline;
    return (
      <Tooltip title={date}>
        <Tag {...common} color={late ? 'error' : 'default'}>
          {showDate ? `${date} · ` : ''}
          {t(late ? 'case.deadline.closedLate' : 'case.deadline.closedInTime')}
        </Tag>
      </Tooltip>
    );
  }
  const left = deadline - now;
  const overdue = c.overdue || left < 0;
  const color = overdue || c.warningLevel === 'red' ? 'error' : c.warningLevel === 'yellow' ? 'warning' : 'processing';
  const text = overdue ? t('case.deadline.overdue', { d: formatDuration(lang, -left) }) : t('case.deadline.left', { d: formatDuration(lang, left) });
  return (
    <Tooltip title={`${t('case.deadline')}：${date}`}>
      <Tag {...common} color={color} icon={overdue ? <FireOutlined /> : <ClockCircleOutlined />} data-warning={overdue ? 'overdue' : c.warningLevel}>
        {showDate ? `${date} · ` : ''}
        {text}
      </Tag>
    </Tooltip>
  );
}

export function WarningTag({ level }: { level: string }) {
  const { t } = useI18n();
  if (level === 'red') return <Tag color="red">{t('case.warning.red')}</Tag>;
  if (level === 'yellow') return <Tag color="gold">{t('case.warning.yellow')}</Tag>;
  return null;
}
