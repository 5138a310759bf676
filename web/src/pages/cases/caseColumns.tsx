import '../../messages/cases';
import { Space, type TableColumnType } from 'antd';
import { TeamOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { CaseSummary } from '../../api/client';
import { formatDateTime } from '../../format';
import type { Names, Vocabulary } from '../../hooks/useCaseData';
import type { Lang, Translate } from '../../i18n';
import { ChannelLabel, DeadlineTag, StatusTag, WarningTag } from './parts';
import './cases.css';

/** The columns every list of cases shows (board, my tasks); filters are added by the page that has them. */
export function caseColumns(t: Translate, lang: Lang, vocab: Vocabulary, names: Names): TableColumnType<CaseSummary>[] {
  return [
    {
      title: t('case.number'),
      dataIndex: 'number',
      width: 160,
      render: (_, c) => (
        <>
          <Link to={`/cases/${c.id}`} data-testid={`case-link-${c.id}`}>
            {c.number}
          </Link>
          <div className="zhili-secondary">{formatDateTime(lang, c.createdAt)}</div>
        </>
      ),
    },
    {
      title: t('case.title'),
      dataIndex: 'title',
      width: 260,
      render: (_, c) => (
        <>
          <div className="zhili-ellipsis" title={c.title}>
            {c.title}
          </div>
          <div className="zhili-secondary">
            {names.matter(c.matterTypeCode) || t('case.unclassified')} · <ChannelLabel channel={c.channel} />
          </div>
        </>
      ),
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 110,
      render: (_, c) => <StatusTag status={c.status} vocab={vocab} />,
    },
    {
      title: t('case.place'),
      dataIndex: 'communityCode',
      width: 110,
      ellipsis: true,
      render: (_, c) => names.jurisdiction(c.communityCode),
    },
    {
      title: t('case.department'),
      dataIndex: 'departmentId',
      width: 160,
      ellipsis: true,
      render: (_, c) => (c.departmentId ? names.department(c.departmentId) : names.jurisdiction(c.handlingJurisdictionCode)),
    },
    {
      title: t('case.deadline'),
      dataIndex: 'deadline',
      width: 180,
      sorter: true,
      render: (_, c) => (
        <Space size={4}>
          <DeadlineTag c={c} />
          <WarningTag level={c.statusType === 'open' && !c.overdue ? c.warningLevel : 'none'} />
        </Space>
      ),
    },
    {
      title: t('case.supporters'),
      dataIndex: 'supporterCount',
      width: 90,
      align: 'right',
      sorter: true,
      render: (_, c) =>
        c.supporterCount > 0 ? (
          <span>
            <TeamOutlined /> {c.supporterCount}
          </span>
        ) : (
          <span className="zhili-secondary">0</span>
        ),
    },
  ];
}
