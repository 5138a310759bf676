import '../../messages/mediation';
import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, List, Row, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { useFetch } from '../../hooks/useFetch';
import { useI18n } from '../../i18n';
import { type DisputeAction, type DisputeDetail, labels } from './api';
import { DisputeActionModal } from './DisputeActionModal';
import { RISK_COLOR } from './DisputeListPage';
import { useVocabulary } from './useVocabulary';

/** Saves the mediation agreement: the server audits it as a reveal with purpose 制作调解协议书. */
async function downloadAgreement(id: number) {
  const { data } = await api.POST('/api/disputes/{id}/agreement', { params: { path: { id } }, parseAs: 'blob' });
  const url = URL.createObjectURL(data as unknown as Blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `调解协议书-${id}.docx`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function DisputeDetailPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const vocab = useVocabulary();
  const fetched = useFetch(() => unwrap(api.GET('/api/disputes/{id}', { params: { path: { id: Number(id) } } })), [id]);
  const [override, setOverride] = useState<DisputeDetail>();
  const [action, setAction] = useState<DisputeAction | null>(null);
  const d = override && override.id === Number(id) ? override : fetched.data;
  if (fetched.error) return <Alert type="error" showIcon message={fetched.error.message} />;
  if (!d) return <Spin />;
  const statuses = labels(vocab, 'statuses');
  const types = labels(vocab, 'types');
  const paths = labels(vocab, 'paths');
  const outcomes = labels(vocab, 'outcomes');
  const actions = labels(vocab, 'actions');
  const name = (l: ReturnType<typeof labels>, k: string | null) => (k ? l[k]?.[lang] ?? k : '—');

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={<Space><span>{t('menu.disputes')} #{d.id}</span><Tag color="blue" data-testid="dispute-status" data-status={d.status}>{name(statuses, d.status)}</Tag></Space>}
        extra={
          <Space wrap>
            {d.actions.map((a) => (
              <Button key={a} data-testid={`dispute-action-${a}`} onClick={() => setAction(a as DisputeAction)}>{actions[a]?.[lang] ?? a}</Button>
            ))}
            {d.canGenerateAgreement && (
              <Button type="primary" icon={<DownloadOutlined />} data-testid="dispute-agreement" onClick={() => downloadAgreement(d.id).catch((e: Error) => message.error(e.message))}>{t('med.agreement')}</Button>
            )}
          </Space>
        }
      >
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small">
          <Descriptions.Item label={t('med.caseTitle')}><Link to={`/cases/${d.caseId}`}>{d.caseNumber} {d.caseTitle}</Link></Descriptions.Item>
          <Descriptions.Item label={t('med.type')}>{name(types, d.disputeType)}</Descriptions.Item>
          <Descriptions.Item label={t('med.risk')}>
            <Tag color={RISK_COLOR[d.riskLevel]}>{t(`med.risk.${d.riskLevel}` as 'med.risk.low')}</Tag>
            {d.groupDispute && <Tag color="volcano">{t('med.group')}</Tag>}
            {d.extremeRisk && <Tag color="red">{t('med.extreme')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('med.amount')}>{d.amount ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('med.people')}>{d.peopleCount}</Descriptions.Item>
          <Descriptions.Item label={t('med.path')}><span data-testid="dispute-path">{name(paths, d.path)}</span></Descriptions.Item>
          <Descriptions.Item label={t('med.receivingBody')}>{d.receivingBody ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('med.mediator')}><span data-testid="dispute-mediator">{d.mediatorName ?? '—'}</span></Descriptions.Item>
          <Descriptions.Item label={t('med.outcome')}>{name(outcomes, d.outcome)}</Descriptions.Item>
          <Descriptions.Item label={t('med.facts')} span={3}>{d.facts}</Descriptions.Item>
          {d.terms && <Descriptions.Item label={t('med.agreementTerms')} span={3}><Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{d.terms}</Typography.Paragraph></Descriptions.Item>}
          {d.performanceMethod && <Descriptions.Item label={t('med.performance')} span={3}>{d.performanceMethod}，{d.performanceDeadline}</Descriptions.Item>}
          {d.confirmation.court && (
            <Descriptions.Item label={t('med.confirmation')} span={3}>
              <span data-testid="dispute-confirmation">{d.confirmation.court} · {t('med.appliedOn')} {d.confirmation.appliedOn}{d.confirmation.decision && ` · ${t(`med.decision.${d.confirmation.decision}` as 'med.decision.confirmed')} ${d.confirmation.decidedOn}`}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Card size="small" title={t('med.parties')}>
              <Table size="small" rowKey="id" pagination={false} dataSource={d.parties} data-testid="dispute-parties" columns={[
                { title: '', dataIndex: 'role', render: (r: string) => t(`med.role.${r}` as 'med.role.applicant') },
                { title: t('med.name'), dataIndex: 'name' },
                { title: t('med.phone'), dataIndex: 'phone' },
                { title: t('med.idNumber'), dataIndex: 'idNumber' },
              ]} />
            </Card>
            <Card size="small" title={t('med.diversions')}>
              <List size="small" dataSource={d.diversions} locale={{ emptyText: t('med.none') }} renderItem={(v) => <List.Item>{new Date(v.at).toLocaleString()} · {name(paths, v.path)} → {v.receivingBody}：{v.reason}</List.Item>} />
            </Card>
            <Card size="small" title={t('med.sessions')}>
              <List size="small" dataSource={d.sessions} locale={{ emptyText: t('med.none') }} data-testid="dispute-sessions" renderItem={(s) => <List.Item><Space direction="vertical" size={0}><b>{new Date(s.heldAt).toLocaleString()} · {s.place}</b><span>{s.participants}</span><Typography.Text type="secondary" style={{ whiteSpace: 'pre-wrap' }}>{s.minutes}</Typography.Text></Space></List.Item>} />
            </Card>
            <Card size="small" title={t('med.followUps')}>
              <List size="small" dataSource={d.followUps} locale={{ emptyText: t('med.none') }} data-testid="dispute-follow-ups" renderItem={(f) => <List.Item>{f.dueOn} · {f.doneAt ? f.result : f.remindedAt ? <Tag color="red">!</Tag> : '—'}</List.Item>} />
            </Card>
            {d.meetings.length > 0 && (
              <Card size="small" title={t('med.meetings')}>
                <List size="small" dataSource={d.meetings} renderItem={(m) => <List.Item>{new Date(m.heldAt).toLocaleString()} · {m.minutes}</List.Item>} />
              </Card>
            )}
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('med.timeline')}>
            <div data-testid="dispute-timeline">
              <Timeline items={d.timeline.map((e) => ({ children: <div data-action={e.action}><b>{e.actionLabel}</b> · {e.actorName} · {new Date(e.at).toLocaleString()}{e.note && <div>{e.note}</div>}</div> }))} />
            </div>
          </Card>
        </Col>
      </Row>
      {action && (
        <DisputeActionModal d={d} action={action} vocab={vocab} onClose={() => setAction(null)} onDone={(u) => { setOverride(u); setAction(null); }} />
      )}
    </Space>
  );
}
