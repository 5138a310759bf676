import '../../messages/cases';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, List, Result, Row, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import { PaperClipOutlined, ReloadOutlined, TeamOutlined } from '@ant-design/icons';
import { Link, useLocation, useParams } from 'react-router-dom';
import { api, ApiError, unwrap, type CaseAction, type CaseAssignment, type CaseDetail, type DuplicateCase, type Grid, type TimelineEntry } from '../../api/client';
import { useAbility } from '../../auth/session';
import { formatDateTime } from '../../format';
import { useCaseVocabulary, useNames, type Names, type Vocabulary } from '../../hooks/useCaseData';
import { useFetch } from '../../hooks/useFetch';
import { useI18n, type Translate } from '../../i18n';
import { useLevelName } from '../../settings';
import { PRIORITY_TAGS, type Priority } from '../matters/labels';
import NotFoundPage from '../NotFoundPage';
import { ActionModal } from './ActionModal';
import CaseMap from './CaseMap';
import { ChannelLabel, DeadlineTag, ratingKey, StatusTag, WarningTag } from './parts';
import { RevealReporter } from './RevealReporter';

const ACTION_COLORS: Partial<Record<string, string>> = {
  intake: 'blue',
  return: 'orange',
  'reject-extension': 'orange',
  escalate: 'orange',
  overdue: 'red',
  'deadline-warning': 'gold',
  verify: 'green',
  close: 'green',
  rate: 'green',
};

/** The parts of an event's detail worth a line on the timeline. */
function eventDetail(e: TimelineEntry, t: Translate, vocab: Vocabulary, names: Names, lang: 'zh' | 'en'): ReactNode[] {
  const d = e.detail as Record<string, unknown>;
  const out: ReactNode[] = [];
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : undefined);
  if (str('departmentName')) out.push(t('timeline.department', { name: str('departmentName')! }));
  if (Array.isArray(d.departmentNames)) out.push(t('timeline.coDepartments', { names: (d.departmentNames as string[]).join('、') }));
  if (str('toJurisdictionCode')) out.push(t('timeline.toJurisdiction', { name: names.jurisdiction(str('toJurisdictionCode')) }));
  if (e.action === 'request-extension' && num('days')) out.push(t('timeline.days', { n: num('days')! }));
  if (str('deadline')) out.push(t('timeline.deadline', { at: formatDateTime(lang, str('deadline')) }));
  if (typeof d.pass === 'boolean') out.push(t(d.pass ? 'action.verifyPass' : 'action.verifyFail'));
  if (str('closeReason')) out.push(vocab.closeReasonLabel(str('closeReason')!));
  if (str('rating')) out.push(t(ratingKey(str('rating')!)));
  if (str('intoNumber')) out.push(t('timeline.mergedInto', { number: str('intoNumber')! }));
  if (str('mergedNumber')) out.push(t('timeline.merged', { number: str('mergedNumber')! }));
  if (e.action === 'intake' && str('channel')) out.push(<ChannelLabel key="ch" channel={str('channel')!} />);
  return out;
}

export default function CaseDetailPage() {
  const { t } = useI18n();
  const { id } = useParams();
  const caseId = Number(id);
  const valid = Number.isInteger(caseId) && caseId > 0 && caseId <= 2147483647;
  const detail = useFetch(valid ? () => unwrap(api.GET('/api/cases/{id}', { params: { path: { id: caseId } } })) : null, [caseId]);
  const [current, setCurrent] = useState<CaseDetail>();
  useEffect(() => setCurrent(detail.data), [detail.data]);
  // drawn once the catalogues have answered, so names never show as codes first
  const names = useNames();

  if (!valid || (detail.error instanceof ApiError && detail.error.status === 404)) return <NotFoundPage />;
  if (detail.error) {
    return (
      <Result
        status={detail.error instanceof ApiError && detail.error.status === 403 ? '403' : 'error'}
        title={detail.error.message}
        extra={<Button onClick={detail.reload}>{t('common.retry')}</Button>}
      />
    );
  }
  const c = current?.id === caseId ? current : undefined;
  if (!c || !names.ready) return <Skeleton active paragraph={{ rows: 12 }} />;
  return <CaseView c={c} onChanged={setCurrent} reload={detail.reload} loading={detail.loading} />;
}

function CaseView({ c, onChanged, reload, loading }: { c: CaseDetail; onChanged: (c: CaseDetail) => void; reload: () => void; loading: boolean }) {
  const { lang, t } = useI18n();
  const levelName = useLevelName();
  const vocab = useCaseVocabulary();
  const names = useNames();
  const canReadGrid = useAbility('grid:read');
  const canReveal = useAbility('personal:reveal');
  const location = useLocation();
  const [acting, setActing] = useState<CaseAction | null>(null);
  const duplicates = ((location.state as { possibleDuplicates?: DuplicateCase[] } | null)?.possibleDuplicates ?? []).filter((d) => d.id !== c.id);
  const grid = useFetch(c.gridId && canReadGrid ? () => unwrap(api.GET('/api/grids/{id}', { params: { path: { id: c.gridId! } } })) : null, [c.gridId, canReadGrid]);
  const grids = useMemo<Grid[]>(() => (grid.data ? [grid.data] : []), [grid.data]);
  const priority = PRIORITY_TAGS[c.priority as Priority];
  const lead = c.assignments.find((a) => a.role === 'lead');

  const timeline = c.timeline.map((e) => {
    const bits = eventDetail(e, t, vocab, names, lang);
    return {
      key: e.id,
      color: ACTION_COLORS[e.action] ?? 'gray',
      children: (
        <div data-testid={`timeline-${e.action}`} data-action={e.action}>
          <Space size={6} wrap>
            <b>{e.actionLabel}</b>
            <span>{e.actorName}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(lang, e.at)}
            </Typography.Text>
          </Space>
          {e.toStatus && e.fromStatus !== e.toStatus && (
            <div style={{ fontSize: 12 }}>
              <Typography.Text type="secondary">
                {e.fromStatus ? `${vocab.statusLabel(e.fromStatus)} → ` : ''}
                {vocab.statusLabel(e.toStatus)}
              </Typography.Text>
            </div>
          )}
          {bits.length > 0 && (
            <div>
              {bits.map((b, i) => (
                <Tag key={i} bordered={false} style={{ marginTop: 4 }}>
                  {b}
                </Tag>
              ))}
            </div>
          )}
          {e.note && <div style={{ whiteSpace: 'pre-wrap', marginTop: 4 }}>{e.note}</div>}
        </div>
      ),
    };
  });

  const when = (iso: string | null) => (iso ? formatDateTime(lang, iso) : '—');
  const place = [c.districtCode, c.streetCode, c.communityCode].map((code) => names.jurisdiction(code)).join(' / ');

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="case-detail" data-case-id={c.id} data-version={c.version}>
      {duplicates.length > 0 && (
        <Alert
          type="warning"
          showIcon
          closable
          message={t('case.possibleDuplicates', { n: duplicates.length })}
          description={
            <Space size={[12, 4]} wrap>
              {duplicates.map((d) => (
                <Link key={d.id} to={`/cases/${d.id}`}>
                  {d.number} {d.title}（{d.distanceM} m）
                </Link>
              ))}
            </Space>
          }
        />
      )}
      <Card>
        <Row gutter={[16, 12]} align="middle" justify="space-between">
          <Col flex="auto">
            <Space size={12} wrap align="center">
              <Typography.Title level={4} style={{ margin: 0 }}>
                <span data-testid="case-number">{c.number}</span>
              </Typography.Title>
              <StatusTag status={c.status} vocab={vocab} testId="case-status" />
              {c.deadline && <DeadlineTag c={c} testId="case-deadline" showDate />}
              <WarningTag level={c.warningLevel} />
              {priority && c.priority !== 'normal' && <Tag color={priority.color}>{t(priority.label)}</Tag>}
              {c.supporterCount > 0 && (
                <Tag icon={<TeamOutlined />} color="purple">
                  {t('case.supportersN', { n: c.supporterCount })}
                </Tag>
              )}
            </Space>
            <Typography.Paragraph style={{ margin: '8px 0 0', fontSize: 16 }}>{c.title}</Typography.Paragraph>
            <Typography.Text type="secondary">
              {names.matter(c.matterTypeCode) || t('case.unclassified')}
              {c.matterTypeCode ? ` · ${c.matterTypeCode}` : ''} · <ChannelLabel channel={c.channel} /> · {place}
            </Typography.Text>
          </Col>
          <Col>
            <Space wrap data-testid="case-actions">
              {c.actions.length === 0 && <Typography.Text type="secondary">{t('case.noActions')}</Typography.Text>}
              {c.actions.map((a, i) => (
                <Button key={a} type={i === 0 ? 'primary' : 'default'} danger={a === 'return'} onClick={() => setActing(a as CaseAction)} data-testid={`action-${a}`}>
                  {vocab.actionLabel(a)}
                </Button>
              ))}
              <Button icon={<ReloadOutlined />} onClick={reload} loading={loading} aria-label={t('common.reload')} data-testid="case-reload" />
            </Space>
          </Col>
        </Row>
        {c.pendingExtension && (
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 12 }}
            message={t('case.pendingExtension', { n: c.pendingExtension.days })}
            description={c.pendingExtension.reason}
            data-testid="case-pending-extension"
          />
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('case.info')} size="small">
              <Descriptions column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} size="small" bordered styles={{ label: { whiteSpace: 'nowrap', width: 96 } }}>
                <Descriptions.Item label={t('case.description')} span={2}>
                  <div style={{ whiteSpace: 'pre-wrap' }}>{c.description}</div>
                </Descriptions.Item>
                <Descriptions.Item label={t('case.matter')}>
                  {c.matterTypeCode ? `${names.matter(c.matterTypeCode)}（${c.matterTypeCode}）` : t('case.unclassified')}
                  {!c.matterTypeCode && c.suggestedMatterTypeCode && (
                    <Typography.Text type="secondary"> · {t('case.suggestedMatter', { name: names.matter(c.suggestedMatterTypeCode) })}</Typography.Text>
                  )}
                </Descriptions.Item>
                <Descriptions.Item label={t('case.channel')}>
                  <ChannelLabel channel={c.channel} />
                </Descriptions.Item>
                <Descriptions.Item label={t('case.place')}>{place}</Descriptions.Item>
                <Descriptions.Item label={t('case.address')}>{c.address || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('case.reporter')}>
                  <span data-testid="case-reporter" style={{ whiteSpace: 'nowrap' }}>{c.reporter ? [c.reporter.name, c.reporter.phone].filter(Boolean).join(' · ') : '—'}</span>
                  {c.reporter && canReveal && <RevealReporter key={c.id} caseId={c.id} />}
                </Descriptions.Item>
                <Descriptions.Item label={t('case.handling')}>
                  {names.jurisdiction(c.handlingJurisdictionCode)}（{levelName(c.handlingLevel)}）
                </Descriptions.Item>
                <Descriptions.Item label={t('case.department')}>
                  <span data-testid="case-department" data-designated={c.designated ? '1' : '0'}>{c.departmentId ? names.department(c.departmentId) : '—'}</span>
                  {c.designated && <Tag style={{ marginInlineStart: 8 }}>{t('case.designated')}</Tag>}
                </Descriptions.Item>
                <Descriptions.Item label={t('case.timeLimit')}>{c.timeLimitDays ? t('matter.days', { n: c.timeLimitDays }) : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('case.createdAt')}>{when(c.createdAt)}</Descriptions.Item>
                <Descriptions.Item label={t('case.registeredAt')}>{when(c.registeredAt)}</Descriptions.Item>
                <Descriptions.Item label={t('case.dispatchedAt')}>{when(c.dispatchedAt)}</Descriptions.Item>
                <Descriptions.Item label={t('case.signedAt')}>{when(c.signedAt)}</Descriptions.Item>
                <Descriptions.Item label={t('case.fedBackAt')}>{when(c.fedBackAt)}</Descriptions.Item>
                <Descriptions.Item label={t('case.closedAt')}>{when(c.closedAt)}</Descriptions.Item>
                {c.closeReason && (
                  <Descriptions.Item label={t('case.closeReason')} span={2}>
                    <span data-testid="case-close-reason">{vocab.closeReasonLabel(c.closeReason)}</span>
                    {c.responsibleElsewhere && ` · ${t('case.responsibleElsewhere', { name: c.responsibleElsewhere })}`}
                    {c.closeNote && <div style={{ whiteSpace: 'pre-wrap' }}>{c.closeNote}</div>}
                  </Descriptions.Item>
                )}
                {c.rating && (
                  <Descriptions.Item label={t('case.rating')} span={2}>
                    <span data-testid="case-rating">{t(ratingKey(c.rating))}</span>
                    {c.ratingComment && ` · ${c.ratingComment}`}
                  </Descriptions.Item>
                )}
                {(c.reworkCount > 0 || c.extensionCount > 0) && (
                  <Descriptions.Item label={t('case.counts')} span={2}>
                    {t('case.reworkN', { n: c.reworkCount })} · {t('case.extensionN', { n: c.extensionCount })}
                  </Descriptions.Item>
                )}
                {c.parentCaseId && (
                  <Descriptions.Item label={t('case.parent')} span={2}>
                    <Link to={`/cases/${c.parentCaseId}`}>#{c.parentCaseId}</Link>
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Card>
            <Card title={t('case.assignments')} size="small">
              <Table<CaseAssignment>
                size="small"
                rowKey="departmentId"
                pagination={false}
                dataSource={c.assignments}
                data-testid="case-assignments"
                locale={{ emptyText: t('case.noAssignments') }}
                columns={[
                  { title: t('case.department'), dataIndex: 'departmentName' },
                  {
                    title: t('case.role'),
                    dataIndex: 'role',
                    width: 90,
                    render: (r: string) => <Tag color={r === 'lead' ? 'blue' : 'default'}>{t(r === 'lead' ? 'case.role.lead' : 'case.role.co')}</Tag>,
                  },
                  { title: t('case.feedback'), dataIndex: 'feedback', render: (f: string | null) => <span style={{ whiteSpace: 'pre-wrap' }}>{f ?? '—'}</span> },
                  { title: t('case.fedBackAt'), dataIndex: 'fedBackAt', width: 150, render: (at: string | null) => when(at) },
                ]}
              />
              {lead === undefined && c.departmentId && (
                <Typography.Text type="secondary">{t('case.proposedDepartment', { name: names.department(c.departmentId) })}</Typography.Text>
              )}
            </Card>
            <Card title={t('case.attachments')} size="small">
              {c.attachments.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('case.noAttachments')} />
              ) : (
                <List
                  size="small"
                  dataSource={c.attachments}
                  renderItem={(a) => (
                    <List.Item>
                      <Space>
                        <PaperClipOutlined />
                        {a.fileName}
                        <Typography.Text type="secondary">
                          {(a.sizeBytes / 1024).toFixed(0)} KB · {formatDateTime(lang, a.uploadedAt)}
                        </Typography.Text>
                      </Space>
                    </List.Item>
                  )}
                />
              )}
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('case.location')} size="small" styles={{ body: { padding: 0 } }}>
              {c.location || grids.length > 0 ? (
                <CaseMap grids={grids} highlightGridId={c.gridId} point={c.location} height={240} testId="case-map" />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('case.noLocation')} style={{ padding: 16 }} />
              )}
              {grid.data && (
                <div style={{ padding: '6px 12px' }}>
                  <Typography.Text type="secondary">
                    {t('case.grid')}：{grid.data.name}（{grid.data.code}）
                  </Typography.Text>
                </div>
              )}
            </Card>
            <Card title={t('case.timeline')} size="small">
              <div data-testid="case-timeline" style={{ paddingTop: 8 }}>
                <Timeline items={timeline} />
              </div>
            </Card>
          </Space>
        </Col>
      </Row>
      {acting && (
        <ActionModal
          c={c}
          action={acting}
          vocab={vocab}
          names={names}
          onClose={() => setActing(null)}
          onDone={(updated) => {
            setActing(null);
            onChanged(updated);
          }}
          onConflict={() => {
            setActing(null);
            reload();
          }}
        />
      )}
    </Space>
  );
}
