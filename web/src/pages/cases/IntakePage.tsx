import '../../messages/cases';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Empty, Form, Input, List, Row, Select, Space, Spin, Tag, TreeSelect, Typography } from 'antd';
import { AimOutlined, LikeOutlined, SendOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import {
  api,
  ApiError,
  newIdempotencyKey,
  unwrap,
  type CaseChannel,
  type DuplicateCase,
  type GridLocation,
  type JurisdictionNode,
  type MatterSuggestion,
} from '../../api/client';
import { useAbility, useUser } from '../../auth/session';
import { useFetch } from '../../hooks/useFetch';
import { useDebounced, useMatterTypes } from '../../hooks/useCaseData';
import { useJurisdictionTree } from '../../hooks/useJurisdictionTree';
import { useI18n } from '../../i18n';
import { useLevelName } from '../../settings';
import { PRIORITY_TAGS } from '../matters/labels';
import CaseMap, { type Point } from './CaseMap';
import { channelKey, STAFF_CHANNELS } from './parts';

interface Values {
  channel: CaseChannel;
  title: string;
  description: string;
  matterTypeCode?: string;
  address?: string;
  communityCode?: string;
  reporter?: { name?: string; phone?: string };
}

const PHONE = /^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/;
const MAX_GRIDS = 1000;

interface CommunityNode {
  value: string;
  title: string;
  selectable: boolean;
  children?: CommunityNode[];
}

/** The user's tree for the community picker: only communities can be chosen. */
function communityTree(n: JurisdictionNode): CommunityNode {
  const children = n.level === 'community' ? [] : n.children.map(communityTree);
  return { value: n.code, title: n.name, selectable: n.level === 'community', ...(children.length ? { children } : {}) };
}

export default function IntakePage() {
  const { lang, t } = useI18n();
  const levelName = useLevelName();
  const user = useUser();
  const canSupport = useAbility('case:support');
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [location, setLocation] = useState<Point | null>(null);
  const [located, setLocated] = useState<{ at: Point; result?: GridLocation; error?: string } | null>(null);
  // one key per submission: a double click or a retry of the same form answers the first case instead of filing twice
  const idempotencyKey = useRef(newIdempotencyKey());

  const title = Form.useWatch('title', form) ?? '';
  const description = Form.useWatch('description', form) ?? '';
  const matterTypeCode = Form.useWatch('matterTypeCode', form);
  const text = useDebounced(`${title} ${description}`.trim(), 400);

  const matters = useMatterTypes();
  const tree = useJurisdictionTree();
  const communities = useMemo(() => (tree.data ? [communityTree(tree.data.root)] : []), [tree.data]);
  const grids = useFetch(() => unwrap(api.GET('/api/grids', { params: { query: { jurisdictionCode: user.jurisdictionCode, limit: MAX_GRIDS } } })), [user.jurisdictionCode]);

  const suggestions = useFetch<MatterSuggestion[]>(
    text.length >= 2 ? () => unwrap(api.GET('/api/cases/suggest-matter', { params: { query: { text } } })).then((r) => r.items.slice(0, 3)) : null,
    [text],
  );
  const duplicates = useFetch<DuplicateCase[]>(
    matterTypeCode && location
      ? () => unwrap(api.GET('/api/cases/duplicates', { params: { query: { matterTypeCode, lng: location.lng, lat: location.lat } } })).then((r) => r.items)
      : null,
    [matterTypeCode, location?.lng, location?.lat],
  );

  const matterOptions = useMemo(
    () => (matters.data ?? []).filter((m) => m.active).map((m) => ({ value: m.code, label: `${m.name}  ${m.code}`, name: m.name })),
    [matters.data],
  );
  const chosenMatter = matters.data?.find((m) => m.code === matterTypeCode);

  const pick = (p: Point) => {
    setLocation(p);
    setLocated({ at: p });
    idempotencyKey.current = newIdempotencyKey();
    unwrap(api.GET('/api/grids/locate', { params: { query: p } })).then(
      (result) => {
        setLocated((s) => (s?.at === p ? { at: p, result } : s));
        form.setFieldValue('communityCode', result.community.code);
      },
      (err: unknown) => setLocated((s) => (s?.at === p ? { at: p, error: err instanceof ApiError ? err.message : String(err) } : s)),
    );
  };

  const clearLocation = () => {
    setLocation(null);
    setLocated(null);
  };

  const takeSuggestion = (code: string) => {
    form.setFieldValue('matterTypeCode', code);
    idempotencyKey.current = newIdempotencyKey();
  };

  const submit = async (v: Values) => {
    if (submitting) return;
    if (!location && !v.communityCode) {
      setError(t('intake.placeRequired'));
      return;
    }
    setSubmitting(true);
    setError(null);
    const reporterName = v.reporter?.name?.trim();
    const reporterPhone = v.reporter?.phone?.trim();
    try {
      const created = await unwrap(
        api.POST('/api/cases', {
          params: { header: { 'idempotency-key': idempotencyKey.current } },
          body: {
            channel: v.channel,
            title: v.title.trim(),
            description: v.description.trim(),
            ...(v.matterTypeCode ? { matterTypeCode: v.matterTypeCode } : {}),
            ...(location ? { location } : v.communityCode ? { communityCode: v.communityCode } : {}),
            ...(v.address?.trim() ? { address: v.address.trim() } : {}),
            ...(reporterName || reporterPhone ? { reporter: { ...(reporterName ? { name: reporterName } : {}), ...(reporterPhone ? { phone: reporterPhone } : {}) } } : {}),
          },
        }),
      );
      message.success(t('intake.created', { number: created.number }));
      navigate(`/cases/${created.id}`, { state: { possibleDuplicates: created.possibleDuplicates } });
    } catch (err) {
      setSubmitting(false);
      if (err instanceof ApiError && err.field) {
        const path = err.field.split('.');
        const known = ['title', 'description', 'matterTypeCode', 'address', 'communityCode', 'channel', 'reporter'];
        if (known.includes(path[0]!)) {
          form.setFields([{ name: path as never, errors: [err.message] }]);
          return;
        }
      }
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const meToo = async (d: DuplicateCase) => {
    const v = form.getFieldsValue();
    const name = v.reporter?.name?.trim();
    const phone = v.reporter?.phone?.trim();
    try {
      const res = await unwrap(
        api.POST('/api/cases/{id}/supporters', {
          params: { path: { id: d.id } },
          body: { channel: v.channel ?? 'hotline', ...(name ? { name } : {}), ...(phone && PHONE.test(phone) ? { phone } : {}) },
        }),
      );
      message.success(t('intake.supported', { number: d.number, n: res.supporterCount }));
      navigate(`/cases/${d.id}`);
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  };

  // Ctrl+Enter files the case from any field; Alt+1…3 takes a suggested matter type
  const onKeyDown = (e: React.KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      form.submit();
    } else if (e.altKey && /^[1-3]$/.test(e.key)) {
      const s = suggestions.data?.[Number(e.key) - 1];
      if (s) {
        e.preventDefault();
        takeSuggestion(s.code);
      }
    }
  };

  useEffect(() => {
    if (grids.error) setError(grids.error.message);
  }, [grids.error]);

  const r = located?.result;
  const dupItems = duplicates.data ?? [];

  return (
    <Row gutter={[16, 16]} onKeyDown={onKeyDown}>
      <Col xs={24} xl={13}>
        <Card title={t('intake.title')} extra={<Typography.Text type="secondary">{t('intake.keys')}</Typography.Text>}>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} closable onClose={() => setError(null)} data-testid="intake-error" />}
          <Form<Values>
            form={form}
            layout="vertical"
            name="intake"
            initialValues={{ channel: 'hotline' }}
            onFinish={submit}
            onValuesChange={() => {
              idempotencyKey.current = newIdempotencyKey();
            }}
            requiredMark="optional"
          >
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item name="channel" label={t('case.channel')} rules={[{ required: true }]}>
                  <Select options={STAFF_CHANNELS.map((c) => ({ value: c, label: t(channelKey(c)) }))} data-testid="intake-channel" />
                </Form.Item>
              </Col>
              <Col span={16}>
                <Form.Item name="title" label={t('case.title')} rules={[{ required: true, min: 2, max: 200, whitespace: true, message: t('intake.titleRequired') }]}>
                  <Input autoFocus maxLength={200} placeholder={t('intake.titlePlaceholder')} data-testid="intake-title" />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="description" label={t('case.description')} rules={[{ required: true, whitespace: true, max: 4000, message: t('intake.descriptionRequired') }]}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={4000} showCount placeholder={t('intake.descriptionPlaceholder')} data-testid="intake-description" />
            </Form.Item>
            <Form.Item
              name="matterTypeCode"
              label={t('case.matter')}
              extra={
                chosenMatter ? (
                  <span data-testid="intake-matter-info">
                    {t('matter.days', { n: chosenMatter.timeLimitDays })} · {t(PRIORITY_TAGS[chosenMatter.priority].label)} · {levelName(chosenMatter.handlingLevel)}
                  </span>
                ) : (
                  t('intake.matterHint')
                )
              }
            >
              <Select
                showSearch
                allowClear
                optionFilterProp="label"
                options={matterOptions}
                loading={matters.loading}
                placeholder={t('intake.matterPlaceholder')}
                data-testid="intake-matter"
              />
            </Form.Item>
            <div style={{ marginTop: -12, marginBottom: 16, minHeight: 24 }} data-testid="intake-suggestions">
              <Space size={[4, 4]} wrap>
                <Typography.Text type="secondary">{t('intake.suggested')}</Typography.Text>
                {suggestions.loading && <Spin size="small" />}
                {!suggestions.loading && (suggestions.data ?? []).length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
                {(suggestions.data ?? []).map((s, i) => (
                  <Tag.CheckableTag
                    key={s.code}
                    checked={s.code === matterTypeCode}
                    onChange={() => takeSuggestion(s.code)}
                    data-testid={`matter-suggestion-${s.code}`}
                    style={{ border: '1px solid #d9d9d9' }}
                  >
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      Alt+{i + 1}
                    </Typography.Text>{' '}
                    {s.name} <Typography.Text type="secondary">{s.code}</Typography.Text>
                  </Tag.CheckableTag>
                ))}
              </Space>
            </div>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name="communityCode" label={levelName('community')} extra={t('intake.communityHint')}>
                  <TreeSelect
                    showSearch
                    allowClear
                    treeNodeFilterProp="title"
                    treeData={communities}
                    treeDefaultExpandedKeys={user.jurisdictionLevel === 'city' ? [] : [user.jurisdictionCode]}
                    placeholder={t('intake.communityPlaceholder')}
                    data-testid="intake-community"
                    onChange={(code: string | undefined) => {
                      // another community than the one the map point lies in: the point no longer applies
                      if (location && code !== located?.result?.community.code) clearLocation();
                    }}
                  />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="address" label={t('case.address')} rules={[{ max: 300 }]}>
                  <Input maxLength={300} placeholder={t('intake.addressPlaceholder')} data-testid="intake-address" />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name={['reporter', 'name']} label={t('case.reporterName')} rules={[{ max: 50 }]}>
                  <Input maxLength={50} data-testid="intake-reporter-name" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name={['reporter', 'phone']} label={t('case.reporterPhone')} rules={[{ pattern: PHONE, message: t('intake.phoneInvalid') }]}>
                  <Input maxLength={20} inputMode="tel" data-testid="intake-reporter-phone" />
                </Form.Item>
              </Col>
            </Row>
            <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={submitting} block size="large" data-testid="intake-submit">
              {t('intake.submit')}
            </Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} xl={11}>
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Card size="small" title={t('intake.location')} extra={<Typography.Text type="secondary">{t('intake.mapHint')}</Typography.Text>} styles={{ body: { padding: 0 } }}>
            <CaseMap grids={grids.data?.items ?? []} highlightGridId={r?.grid.id ?? null} point={location} onPick={pick} height={340} testId="intake-map" />
            <div style={{ padding: '8px 12px', minHeight: 40 }} data-testid="intake-location" data-grid={r?.grid.code ?? ''} data-community={r?.community.code ?? ''}>
              {!located && <Typography.Text type="secondary">{t('intake.noPoint')}</Typography.Text>}
              {located && !r && !located.error && (
                <Space>
                  <Spin size="small" />
                  {t('grids.locating')}
                </Space>
              )}
              {located?.error && <Typography.Text type="danger">{located.error}</Typography.Text>}
              {r && (
                <Space size={4} wrap>
                  <AimOutlined style={{ color: '#fa541c' }} />
                  <span>
                    {r.district.name} / {r.street.name} / <b>{r.community.name}</b> / {r.grid.name}（{r.grid.code}）
                  </span>
                  <Typography.Text type="secondary">
                    {location!.lng.toFixed(5)}, {location!.lat.toFixed(5)}
                  </Typography.Text>
                  <Button size="small" type="link" onClick={clearLocation}>
                    {t('intake.clearPoint')}
                  </Button>
                </Space>
              )}
            </div>
          </Card>
          <Card size="small" title={t('intake.duplicates')} data-testid="intake-duplicates">
            {!(matterTypeCode && location) && <Typography.Text type="secondary">{t('intake.duplicatesHint')}</Typography.Text>}
            {matterTypeCode && location && duplicates.loading && <Spin size="small" />}
            {matterTypeCode && location && !duplicates.loading && dupItems.length === 0 && (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.noDuplicates')} />
            )}
            {dupItems.length > 0 && (
              <>
                <Alert type="warning" showIcon message={t('intake.duplicatesFound', { n: dupItems.length })} style={{ marginBottom: 8 }} />
                <List
                  size="small"
                  dataSource={dupItems}
                  renderItem={(d) => (
                    <List.Item
                      data-testid={`duplicate-${d.id}`}
                      actions={
                        canSupport
                          ? [
                              <Button key="me-too" size="small" icon={<LikeOutlined />} onClick={() => meToo(d)} data-testid={`metoo-${d.id}`}>
                                {t('intake.meToo')}
                              </Button>,
                            ]
                          : []
                      }
                    >
                      <List.Item.Meta
                        title={
                          <a href={`/cases/${d.id}`} target="_blank" rel="noreferrer">
                            {d.number} {d.title}
                          </a>
                        }
                        description={t('intake.duplicateMeta', { m: d.distanceM, n: d.supporterCount, at: new Date(d.createdAt).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB') })}
                      />
                    </List.Item>
                  )}
                />
              </>
            )}
          </Card>
        </Space>
      </Col>
    </Row>
  );
}
