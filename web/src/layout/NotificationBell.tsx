import { useCallback, useEffect, useRef, useState } from 'react';
import { Badge, Button, Empty, List, Popover, Space, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { api, unwrap, type Notification } from '../api/client';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';

const POLL_MS = 30_000;
const SHOWN = 10;

/** The inbox in the header: unread count polled every 30 s (not while the tab is hidden), the latest messages on click. */
export function NotificationBell() {
  const { lang, t } = useI18n();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Notification[]>([]);
  const [unread, setUnread] = useState(0);
  const busy = useRef(false);

  const refresh = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      const res = await unwrap(api.GET('/api/notifications', { params: { query: { limit: SHOWN } } }));
      setItems(res.items);
      setUnread(res.unread);
    } catch {
      // the next poll tries again; a 401 already sent the user to the login page
    } finally {
      busy.current = false;
    }
  }, []);

  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, POLL_MS);
    const onVisible = () => document.visibilityState === 'visible' && void refresh();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [refresh]);

  const markAll = async () => {
    const res = await unwrap(api.POST('/api/notifications/read', { body: { all: true } }));
    setUnread(res.unread);
    setItems((xs) => xs.map((n) => (n.readAt ? n : { ...n, readAt: new Date().toISOString() })));
  };

  const openItem = async (n: Notification) => {
    setOpen(false);
    if (!n.readAt) {
      setItems((xs) => xs.map((x) => (x.id === n.id ? { ...x, readAt: new Date().toISOString() } : x)));
      setUnread((u) => Math.max(0, u - 1));
      unwrap(api.POST('/api/notifications/read', { body: { ids: [n.id] } })).then((r) => setUnread(r.unread), () => undefined);
    }
    if (n.caseId) navigate(`/cases/${n.caseId}`);
  };

  const content = (
    <div style={{ width: 360 }} data-testid="inbox-list">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 4 }}>
        <Typography.Text strong>{t('inbox.title')}</Typography.Text>
        <Button size="small" type="link" disabled={unread === 0} onClick={markAll} data-testid="inbox-mark-all">
          {t('inbox.markAll')}
        </Button>
      </Space>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.empty')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          style={{ maxHeight: 420, overflow: 'auto' }}
          renderItem={(n) => (
            <List.Item
              key={n.id}
              onClick={() => openItem(n)}
              style={{ cursor: n.caseId ? 'pointer' : 'default', background: n.readAt ? undefined : '#e6f4ff', paddingInline: 8 }}
              data-testid={`inbox-item-${n.id}`}
              data-case-id={n.caseId ?? ''}
            >
              <List.Item.Meta
                title={
                  <Space size={6}>
                    {!n.readAt && <Badge status="processing" />}
                    <span>{n.title}</span>
                  </Space>
                }
                description={
                  <>
                    <Typography.Text ellipsis style={{ maxWidth: 320, display: 'block' }}>
                      {n.body}
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(lang, n.createdAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) void refresh();
      }}
      trigger="click"
      placement="bottomRight"
      content={content}
      arrow={false}
    >
      <Button type="text" aria-label={t('inbox.title')} data-testid="inbox-bell" data-unread={unread}>
        <Badge count={unread} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 16 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
