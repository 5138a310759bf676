import { useMemo, useState } from 'react';
import { Alert, Button, Card, Input, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { EditOutlined, HistoryOutlined } from '@ant-design/icons';
import { api, fetchAll, unwrap, type Level, type MatterType } from '../../api/client';
import { useAbility } from '../../auth/session';
import { useFetch } from '../../hooks/useFetch';
import { useI18n } from '../../i18n';
import { useLevelName } from '../../settings';
import { LEVELS } from '../matters/labels';
import { CellEditModal } from './CellEditModal';
import { HistoryDrawer } from './HistoryDrawer';

export interface EditTarget {
  matter: MatterType;
  level: Level;
  departmentKind: string | null;
}

const cellKey = (code: string, level: string) => `${code}|${level}`;

export default function ResponsibilityPage() {
  const { lang, t } = useI18n();
  const levelName = useLevelName();
  const canWrite = useAbility('matter:write');
  const [category, setCategory] = useState<string>();
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<EditTarget | null>(null);
  const [history, setHistory] = useState<MatterType | null>(null);

  const matters = useFetch(() => fetchAll((limit, offset) => unwrap(api.GET('/api/matter-types', { params: { query: { limit, offset } } }))), []);
  const matrix = useFetch(() => unwrap(api.GET('/api/responsibility-matrix')).then((r) => r.items), []);
  const kinds = useFetch(() => unwrap(api.GET('/api/department-kinds')), []);
  const categories = useFetch(() => unwrap(api.GET('/api/matter-categories')), []);

  const cells = useMemo(() => new Map((matrix.data ?? []).map((c) => [cellKey(c.matterTypeCode, c.level), c.departmentKind])), [matrix.data]);
  const kindLabel = useMemo(() => new Map((kinds.data?.items ?? []).map((k) => [k.kind, k[lang]])), [kinds.data, lang]);
  const categoryLabel = useMemo(() => new Map((categories.data?.items ?? []).map((c) => [c.category, c[lang]])), [categories.data, lang]);

  const rows = useMemo(() => {
    const q = text.trim().toLowerCase();
    return (matters.data ?? []).filter(
      (m) => (!category || m.category === category) && (!q || m.name.toLowerCase().includes(q) || m.code.toLowerCase().includes(q) || m.keywords.some((k) => k.includes(q))),
    );
  }, [matters.data, category, text]);

  const columns: TableColumnsType<MatterType> = [
    {
      title: t('matrix.matter'),
      key: 'matter',
      fixed: 'left',
      width: 240,
      render: (_, m) => (
        <div>
          <div>{m.name}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {m.code} · {categoryLabel.get(m.category) ?? m.category}
          </Typography.Text>
        </div>
      ),
    },
    ...LEVELS.map((level) => ({
      title: levelName(level),
      key: level,
      width: 180,
      render: (_: unknown, m: MatterType) => {
        const kind = cells.get(cellKey(m.code, level)) ?? null;
        const label = kind ? (kindLabel.get(kind) ?? kind) : <Typography.Text type="secondary">{t('matrix.unassigned')}</Typography.Text>;
        if (!canWrite) return <span data-testid={`matrix-cell-${m.code}-${level}`}>{label}</span>;
        return (
          <Button
            type="text"
            size="small"
            data-testid={`matrix-cell-${m.code}-${level}`}
            onClick={() => setEditing({ matter: m, level, departmentKind: kind })}
            style={{ height: 'auto', whiteSpace: 'normal', textAlign: 'left', padding: '2px 6px' }}
          >
            {label} <EditOutlined style={{ color: '#bbb', fontSize: 12 }} />
          </Button>
        );
      },
    })),
    {
      title: t('common.actions'),
      key: 'history',
      width: 110,
      render: (_, m) => (
        <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => setHistory(m)} data-testid={`matrix-history-${m.code}`}>
          {t('common.history')}
        </Button>
      ),
    },
  ];

  const error = matters.error ?? matrix.error ?? kinds.error;
  return (
    <Card title={t('matrix.title')}>
      <Typography.Paragraph type="secondary">{t('matrix.hint')}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }} wrap>
        <Select
          allowClear
          placeholder={t('matter.category')}
          style={{ width: 200 }}
          value={category}
          onChange={setCategory}
          options={(categories.data?.items ?? []).map((c) => ({ value: c.category, label: c[lang] }))}
        />
        <Input.Search allowClear placeholder={`${t('matter.name')} / ${t('matter.code')}`} style={{ width: 260 }} onChange={(e) => setText(e.target.value)} />
      </Space>
      {error && <Alert type="error" showIcon message={error.message} style={{ marginBottom: 16 }} />}
      <Table<MatterType>
        rowKey="code"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={matters.loading || matrix.loading}
        pagination={{ defaultPageSize: 50, showSizeChanger: true }}
        scroll={{ x: 1100 }}
        data-testid="responsibility-matrix"
      />
      {editing && (
        <CellEditModal
          target={editing}
          kinds={kinds.data?.items ?? []}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            matrix.reload();
          }}
        />
      )}
      <HistoryDrawer matter={history} kindLabel={kindLabel} onClose={() => setHistory(null)} />
    </Card>
  );
}
