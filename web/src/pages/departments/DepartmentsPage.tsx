import { useMemo, useRef, useState } from 'react';
import { ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, unwrap, type Department } from '../../api/client';
import { useAbility } from '../../auth/session';
import { useFetch } from '../../hooks/useFetch';
import { toTreeSelect, useJurisdictionTree } from '../../hooks/useJurisdictionTree';
import { useI18n } from '../../i18n';
import { useLevelName } from '../../settings';
import { DepartmentFormModal } from './DepartmentFormModal';

interface Query {
  q?: string;
  kind?: string;
  level?: 'city' | 'district';
  jurisdictionCode?: string;
  current?: number;
  pageSize?: number;
}

export default function DepartmentsPage() {
  const { lang, t } = useI18n();
  const levelName = useLevelName();
  const canWrite = useAbility('department:write');
  const actionRef = useRef<ActionType>();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const kinds = useFetch(() => unwrap(api.GET('/api/department-kinds')), []);
  const tree = useJurisdictionTree();
  const treeData = useMemo(() => (tree.data ? [toTreeSelect(tree.data.root, 'district')] : []), [tree.data]);
  const kindEnum = useMemo(
    () => Object.fromEntries((kinds.data?.items ?? []).map((k) => [k.kind, { text: k[lang] }])),
    [kinds.data, lang],
  );

  const columns: ProColumns<Department>[] = [
    { title: t('common.search'), dataIndex: 'q', hideInTable: true, fieldProps: { placeholder: `${t('dept.name')} / ${t('dept.code')}` } },
    { title: t('dept.code'), dataIndex: 'code', search: false, width: 200, ellipsis: true },
    { title: t('dept.name'), dataIndex: 'name', search: false, ellipsis: true },
    { title: t('dept.kind'), dataIndex: 'kind', valueType: 'select', valueEnum: kindEnum, fieldProps: { showSearch: true } },
    {
      title: t('dept.level'),
      dataIndex: 'level',
      valueType: 'select',
      width: 100,
      valueEnum: { city: { text: levelName('city') }, district: { text: levelName('district') } },
    },
    {
      title: t('dept.jurisdiction'),
      dataIndex: 'jurisdictionCode',
      valueType: 'treeSelect',
      fieldProps: { treeData, showSearch: true, treeNodeFilterProp: 'title', treeDefaultExpandAll: true },
      render: (_, d) => d.jurisdictionName,
    },
    { title: t('dept.phone'), dataIndex: 'phone', search: false, width: 140, render: (_, d) => d.phone || '—' },
    {
      title: t('dept.active'),
      dataIndex: 'active',
      search: false,
      width: 90,
      render: (_, d) => <Tag color={d.active ? 'green' : 'default'}>{t(d.active ? 'common.active' : 'common.inactive')}</Tag>,
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            valueType: 'option' as const,
            width: 90,
            render: (_: unknown, d: Department) => [
              <a key="edit" onClick={() => setEditing(d)} data-testid={`dept-edit-${d.code}`}>
                {t('common.edit')}
              </a>,
            ],
          },
        ]
      : []),
  ];

  return (
    <>
      <ProTable<Department, Query>
        headerTitle={t('dept.title')}
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        // kinds and tree arrive after the first render; the key keeps the filter form in step with them
        key={`${lang}:${kinds.data ? 1 : 0}:${tree.data ? 1 : 0}`}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false }}
        onRequestError={(err) => message.error(err.message)}
        request={async (params) => {
          const pageSize = params.pageSize ?? 20;
          const res = await unwrap(
            api.GET('/api/departments', {
              params: {
                query: {
                  ...(params.q ? { q: params.q } : {}),
                  ...(params.kind ? { kind: params.kind } : {}),
                  ...(params.level ? { level: params.level } : {}),
                  ...(params.jurisdictionCode ? { jurisdictionCode: params.jurisdictionCode } : {}),
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
                <Button key="new" type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="dept-create">
                  {t('dept.create')}
                </Button>,
              ]
            : []
        }
      />
      {canWrite && editing !== null && (
        <DepartmentFormModal
          department={editing === 'new' ? null : editing}
          kinds={kinds.data?.items ?? []}
          treeData={treeData}
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
