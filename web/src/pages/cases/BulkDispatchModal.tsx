import '../../messages/cases';
import { useMemo, useState } from 'react';
import { Alert, Form, List, Modal, Progress, Select, Space, Typography } from 'antd';
import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { api, unwrap, type CaseSummary, type Department } from '../../api/client';
import type { Vocabulary } from '../../hooks/useCaseData';
import { useI18n } from '../../i18n';

interface Outcome {
  id: number;
  number: string;
  ok: boolean;
  message: string;
}

interface Props {
  cases: CaseSummary[];
  departments: Department[];
  vocab: Vocabulary;
  onClose: (changed: boolean) => void;
}

/**
 * Dispatches the selected cases to one department in one request (each case with its version, each in its own
 * transaction on the server); cases that do not offer `dispatch` are reported as refused without asking.
 */
export default function BulkDispatchModal({ cases, departments, vocab, onClose }: Props) {
  const { t } = useI18n();
  const [departmentId, setDepartmentId] = useState<number>();
  const [running, setRunning] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const dispatchable = cases.filter((c) => c.actions.includes('dispatch'));
  const options = useMemo(() => {
    const groups = new Map<string, { label: string; options: Array<{ value: number; label: string }> }>();
    for (const d of departments.filter((x) => x.active)) {
      const g = groups.get(d.jurisdictionCode) ?? { label: d.jurisdictionName, options: [] };
      g.options.push({ value: d.id, label: `${d.name}（${d.jurisdictionName}）` });
      groups.set(d.jurisdictionCode, g);
    }
    return [...groups.values()];
  }, [departments]);

  const run = async () => {
    if (!departmentId) return;
    setRunning(true);
    const out: Outcome[] = cases
      .filter((c) => !c.actions.includes('dispatch'))
      .map((c) => ({ id: c.id, number: c.number, ok: false, message: t('bulk.notDispatchable', { status: vocab.statusLabel(c.status) }) }));
    const sent = cases.filter((c) => c.actions.includes('dispatch'));
    try {
      const answer = await unwrap(api.POST('/api/cases/bulk/{action}', { params: { path: { action: 'dispatch' } }, body: { items: sent.map((c) => ({ id: c.id, expectedVersion: c.version })), departmentId } }));
      for (const [i, o] of answer.items.entries()) out.push({ id: o.id, number: sent[i]!.number, ok: o.ok, message: o.ok ? t('bulk.dispatched') : (o.message ?? '') });
    } catch (err) {
      for (const c of sent) out.push({ id: c.id, number: c.number, ok: false, message: err instanceof Error ? err.message : String(err) });
    }
    setOutcomes(out);
    setRunning(false);
  };

  const done = outcomes !== null && !running;
  const okCount = outcomes?.filter((o) => o.ok).length ?? 0;

  return (
    <Modal
      open
      title={t('bulk.title', { n: cases.length })}
      okText={done ? t('bulk.close') : vocab.actionLabel('dispatch')}
      cancelText={t('common.cancel')}
      cancelButtonProps={{ style: done ? { display: 'none' } : undefined, disabled: running }}
      okButtonProps={{ disabled: !done && (!departmentId || dispatchable.length === 0), 'data-testid': 'bulk-dispatch-ok' }}
      confirmLoading={running}
      onOk={done ? () => onClose(okCount > 0) : run}
      onCancel={() => !running && onClose(okCount > 0)}
      maskClosable={false}
    >
      {outcomes === null && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>{t('bulk.summary', { n: dispatchable.length, m: cases.length - dispatchable.length })}</Typography.Text>
          <Form layout="vertical">
            <Form.Item label={t('action.department')} required>
              <Select
                showSearch
                optionFilterProp="label"
                value={departmentId}
                onChange={setDepartmentId}
                options={options}
                placeholder={t('bulk.departmentPlaceholder')}
                data-testid="bulk-dispatch-department"
              />
            </Form.Item>
          </Form>
          {dispatchable.length === 0 && <Alert type="warning" showIcon message={t('bulk.noneDispatchable')} />}
        </Space>
      )}
      {outcomes !== null && (
        <div data-testid="bulk-result">
          <Progress percent={Math.round((outcomes.length / cases.length) * 100)} size="small" status={running ? 'active' : 'normal'} />
          {done && (
            <Alert
              type={okCount === cases.length ? 'success' : okCount === 0 ? 'error' : 'warning'}
              showIcon
              style={{ margin: '8px 0' }}
              message={t('bulk.result', { ok: okCount, refused: outcomes.length - okCount })}
            />
          )}
          <List
            size="small"
            dataSource={outcomes}
            renderItem={(o) => (
              <List.Item data-testid={`bulk-outcome-${o.id}`} data-ok={o.ok ? '1' : '0'}>
                <Space>
                  {o.ok ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <CloseCircleTwoTone twoToneColor="#ff4d4f" />}
                  <b>{o.number}</b>
                  <Typography.Text type={o.ok ? undefined : 'danger'}>{o.message}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </div>
      )}
    </Modal>
  );
}
