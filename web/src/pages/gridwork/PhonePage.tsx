import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Input, List, message, Segmented, Space, Tag, Typography, Upload } from 'antd';
import { flush, newKey, pending, registerServiceWorker, submit } from './queue';
import './phone.css';

interface Today {
  day: string;
  openPatrol: { id: number; startedAt: string; points: number } | null;
  due: Array<{ personId: number; name: string; careGroupLabel: string; riskLevel: string; nextVisitDue: string; visitState: string }>;
  warnings: number;
  counts: { patrols: number; visits: number; reports: number; logEntries: number };
}

type Tab = 'today' | 'patrol' | 'visit' | 'report' | 'log';

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${res.status}`);
  return (await res.json()) as T;
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const { csrfToken } = await getJson<{ csrfToken: string }>('/api/me');
  const res = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken }, body: JSON.stringify(body) });
  const json = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(json.error?.message ?? String(res.status));
  return json;
}

/** Where the worker stands: the browser's geolocation. */
function here(): Promise<{ lng: number; lat: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('无法定位 / no geolocation'));
    navigator.geolocation.getCurrentPosition((p) => resolve({ lng: p.coords.longitude, lat: p.coords.latitude }), (e) => reject(new Error(e.message)), { enableHighAccuracy: true, timeout: 10_000, maximumAge: 30_000 });
  });
}

/** Grid work on the phone (390 px): today's tasks, patrol, visit, report, daily log; works offline. */
export default function PhonePage() {
  const [tab, setTab] = useState<Tab>('today');
  const [today, setToday] = useState<Today | null>(null);
  const [queued, setQueued] = useState(0);
  const [online, setOnline] = useState(navigator.onLine);
  const [busy, setBusy] = useState(false);
  const [visitText, setVisitText] = useState({ whom: '', findings: '', personId: undefined as number | undefined });
  const [report, setReport] = useState({ title: '', description: '', photo: undefined as File | undefined });
  const [log, setLog] = useState('');

  const refresh = useCallback(async () => {
    setQueued((await pending()).length);
    if (navigator.onLine) setToday(await getJson<Today>('/api/gridwork/today').catch(() => null));
  }, []);

  useEffect(() => {
    registerServiceWorker();
    const on = () => {
      setOnline(true);
      void flush().then(refresh);
    };
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    void flush().then(refresh);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, [refresh]);

  const run = async (fn: () => Promise<string>) => {
    setBusy(true);
    try {
      message.success(await fn());
      await refresh();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const said = (r: 'sent' | 'queued') => (r === 'sent' ? '已提交' : '已离线保存，联网后自动提交');

  const startPatrol = () => run(async () => {
    const p = await here();
    await post('/api/gridwork/patrols', { clientKey: newKey('patrol'), point: [p.lng, p.lat, Date.now()] });
    return '巡查已开始';
  });
  const endPatrol = () => run(async () => {
    const p = await here();
    await post(`/api/gridwork/patrols/${today!.openPatrol!.id}/track`, { points: [[p.lng, p.lat, Date.now()]], end: {} });
    return '巡查已结束';
  });
  const saveVisit = () => run(async () => {
    const loc = await here().catch(() => undefined);
    const body = { findings: visitText.findings, ...(visitText.whom ? { whom: visitText.whom } : {}), ...(visitText.personId ? { personId: visitText.personId } : {}), ...(loc ? { location: loc } : {}), visitedAt: new Date().toISOString(), ...(today?.openPatrol ? { patrolId: today.openPatrol.id } : {}) };
    const r = await submit({ key: newKey('visit'), kind: 'visit', body });
    setVisitText({ whom: '', findings: '', personId: undefined });
    return said(r);
  });
  const saveReport = () => run(async () => {
    const loc = await here();
    const body = { title: report.title, description: report.description || report.title, location: loc, foundAt: new Date().toISOString(), ...(today?.openPatrol ? { patrolId: today.openPatrol.id } : {}) };
    const r = await submit({ key: newKey('report'), kind: 'report', body, photo: report.photo, photoName: report.photo?.name });
    setReport({ title: '', description: '', photo: undefined });
    return said(r);
  });
  const saveLog = () => run(async () => {
    const r = await submit({ key: newKey('log'), kind: 'log', body: { content: log, at: new Date().toISOString() } });
    setLog('');
    return said(r);
  });

  return (
    <div className="gw-phone" data-testid="gridwork-phone">
      {!online && <Alert type="warning" showIcon message="离线中：记录将保存在手机上" data-testid="offline-banner" />}
      {queued > 0 && <Alert type="info" message={`待同步 ${queued} 条`} data-testid="queued-count" />}
      <Segmented block value={tab} onChange={(v) => setTab(v as Tab)} options={[{ label: '今日', value: 'today' }, { label: '巡查', value: 'patrol' }, { label: '走访', value: 'visit' }, { label: '上报', value: 'report' }, { label: '日记', value: 'log' }]} />
      {tab === 'today' && (
        <Card size="small" title={`今日任务 ${today?.day ?? ''}`}>
          {today && today.warnings > 0 && <Alert type="error" showIcon message={`走访逾期预警 ${today.warnings} 条`} data-testid="missed-warning" />}
          <Typography.Paragraph>巡查 {today?.counts.patrols ?? 0} · 走访 {today?.counts.visits ?? 0} · 上报 {today?.counts.reports ?? 0} · 日记 {today?.counts.logEntries ?? 0}</Typography.Paragraph>
          <List size="small" dataSource={today?.due ?? []} locale={{ emptyText: '近期无待走访对象' }} renderItem={(d) => (
            <List.Item actions={[<Button key="v" size="small" onClick={() => { setVisitText({ whom: '', findings: '', personId: d.personId }); setTab('visit'); }}>走访</Button>]}>
              <Space direction="vertical" size={0}><span>{d.name} <Tag>{d.careGroupLabel}</Tag></span><span className={d.visitState === 'missed' ? 'gw-missed' : ''}>应访 {d.nextVisitDue}{d.visitState === 'missed' ? '（已逾期）' : ''}</span></Space>
            </List.Item>
          )} />
        </Card>
      )}
      {tab === 'patrol' && (
        <Card size="small" title="巡查">
          {today?.openPatrol ? (
            <Space direction="vertical" style={{ width: '100%' }}>
              <span data-testid="patrol-open">巡查中，开始于 {new Date(today.openPatrol.startedAt).toLocaleTimeString()}</span>
              <Button block danger loading={busy} onClick={endPatrol}>结束巡查</Button>
            </Space>
          ) : (
            <Button block type="primary" size="large" loading={busy} onClick={startPatrol} disabled={!online}>开始巡查</Button>
          )}
        </Card>
      )}
      {tab === 'visit' && (
        <Card size="small" title={visitText.personId ? `走访服务对象 #${visitText.personId}` : '走访'}>
          <Space direction="vertical" style={{ width: '100%' }}>
            {!visitText.personId && <Input placeholder="走访对象" value={visitText.whom} onChange={(e) => setVisitText({ ...visitText, whom: e.target.value })} data-testid="visit-whom" />}
            <Input.TextArea rows={3} placeholder="发现情况" value={visitText.findings} onChange={(e) => setVisitText({ ...visitText, findings: e.target.value })} data-testid="visit-findings" />
            <Button block type="primary" loading={busy} disabled={!visitText.findings.trim()} onClick={saveVisit} data-testid="visit-save">保存走访</Button>
          </Space>
        </Card>
      )}
      {tab === 'report' && (
        <Card size="small" title="上报事件（当前位置）">
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input placeholder="发现了什么" value={report.title} onChange={(e) => setReport({ ...report, title: e.target.value })} data-testid="report-title" />
            <Input.TextArea rows={2} placeholder="补充说明（可选）" value={report.description} onChange={(e) => setReport({ ...report, description: e.target.value })} />
            <Upload accept="image/*" maxCount={1} beforeUpload={(f) => { setReport((r) => ({ ...r, photo: f })); return false; }} onRemove={() => setReport((r) => ({ ...r, photo: undefined }))}>
              <Button data-testid="report-photo">拍照 / 选择照片</Button>
            </Upload>
            <Button block type="primary" size="large" loading={busy} disabled={report.title.trim().length < 2} onClick={saveReport} data-testid="report-save">上报</Button>
          </Space>
        </Card>
      )}
      {tab === 'log' && (
        <Card size="small" title="民情日记">
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input.TextArea rows={4} value={log} onChange={(e) => setLog(e.target.value)} data-testid="log-content" />
            <Button block type="primary" loading={busy} disabled={!log.trim()} onClick={saveLog} data-testid="log-save">记一笔</Button>
          </Space>
        </Card>
      )}
    </div>
  );
}
