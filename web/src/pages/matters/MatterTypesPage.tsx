import { useMemo, useRef, useState } from 'react';
import { ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Space, Tag, Tooltip } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, unwrap, type MatterType } from '../../api/client';
import { useAbility } from '../../auth/session';
import { useFetch } from '../../hooks/useFetch';
import { useI18n } from '../../i18n';
import { useLevelName } from '../../settings';
import { LEVELS, PRIORITY_TAGS } from './labels';
import { MatterTypeFormModal } from './MatterTypeFormModal';

interface Query {
  q?: string;
  category?: string;
  current?: number;
  pageSize?: number;
}

export default function MatterTypesPage() {
  const { lang, t } = useI18n();
  const levelName = useLevelName();
  const canWrite = useAbility('matter:write');
  const actionRef = useRef<ActionType>();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<MatterType | 'new' | null>(null);
  const categories = useFetch(() => unwrap(api.GET('/api/matter-categories')), []);
  const categoryEnum = useMemo(
    () => Object.fromEntries((categories.data?.items ?? []).map((c) => [c.category, { text: c[lang] }])),
    [categories.data, lang],
  );

  const columns: ProColumns<MatterType>[] = [
    { title: t('matter.q'), dataIndex: 'q', hideInTable: true, fieldProps: { placeholder: `${t('matter.name')} / ${t('matter.code')} / ${t('matter.keywords')}` } },
    { title: t('matter.code'), dataIndex: 'code', search: false, width: 120, copyable: true },
    {
      title: t('matter.name'),
      dataIndex: 'name',
      search: false,
      render: (_, m) =>
        m.description ? (
          <Tooltip title={m.description}>
            <span>{m.name}</span>
          </Tooltip>
        ) : (
          m.name
        ),
    },
    { title: t('matter.category'), dataIndex: 'category', valueType: 'select', valueEnum: categoryEnum, width: 140 },
    {
      title: t('matter.timeLimit'),
      dataIndex: 'timeLimitDays',
      search: false,
      width: 110,
      align: 'right',
      render: (_, m) => t('matter.days', { n: m.timeLimitDays }),
    },
    {
      title: t('matter.priority'),
      dataIndex: 'priority',
      search: false,
      width: 90,
      render: (_, m) => <Tag color={PRIORITY_TAGS[m.priority].color}>{t(PRIORITY_TAGS[m.priority].label)}</Tag>,
    },
    { title: t('matter.handlingLevel'), dataIndex: 'handlingLevel', search: false, width: 100, render: (_, m) => levelName(m.handlingLevel) },
    {
      title: t('matter.keywords'),
      dataIndex: 'keywords',
      search: false,
      render: (_, m) => (
        <Space size={[0, 4]} wrap>
          {m.keywords.map((k) => (
            <Tag key={k} bordered={false}>
              {k}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('common.status'),
      dataIndex: 'active',
      search: false,
      width: 80,
      render: (_, m) => <Tag color={m.active ? 'green' : 'default'}>{t(m.active ? 'common.active' : 'common.inactive')}</Tag>,
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            valueType: 'option' as const,
            width: 80,
            render: (_: unknown, m: MatterType) => [
              <a key="edit" onClick={() => setEditing(m)} data-testid={`matter-edit-${m.code}`}>
                {t('common.edit')}
              </a>,
            ],
          },
        ]
      : []),
  ];

  return (
    <>
      <ProTable<MatterType, Query>
        headerTitle={t('matter.title')}
        rowKey="code"
        actionRef={actionRef}
        columns={columns}
        key={`${lang}:${categories.data ? 1 : 0}`}
        search={{ labelWidth: 'auto' }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false }}
        onRequestError={(err) => message.error(err.message)}
        request={async (params) => {
          const pageSize = params.pageSize ?? 20;
          const res = await unwrap(
            api.GET('/api/matter-types', {
              params: {
                query: {
                  ...(params.q ? { q: params.q } : {}),
                  ...(params.category ? { category: params.category } : {}),
                  limit: pageSize,
                  offset: ((params.current ?? 1) - 1) * pageSize,
                },
              },
            }),
          );
          return { data: res.items, total: res.total, success: true };
        }}
        toolBarRender={() =>
          canWrite
            ? [
                <Button key="new" type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="matter-create">
                  {t('matter.create')}
                </Button>,
              ]
            : []
        }
      />
      {canWrite && editing !== null && (
        <MatterTypeFormModal
          matter={editing === 'new' ? null : editing}
          categories={categories.data?.items ?? []}
          levels={LEVELS}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            actionRef.current?.reload();
          }}
        />
      )}
    </>
  );
}
