import { Alert, Drawer, Empty, Skeleton, Timeline, Typography } from 'antd';
import { api, fetchAll, unwrap, type MatterType } from '../../api/client';
import { formatDateTime } from '../../format';
import { useFetch } from '../../hooks/useFetch';
import { useI18n } from '../../i18n';
import { useLevelName } from '../../settings';


export function HistoryDrawer({ matter, kindLabel, onClose }: { matter: MatterType | null; kindLabel: Map<string, string>; onClose: () => void }) {
  const { lang, t } = useI18n();
  const levelName = useLevelName();
  const code = matter?.code;
  const history = useFetch(
    code ? () => fetchAll((limit, offset) => unwrap(api.GET('/api/responsibility-matrix/history', { params: { query: { matterTypeCode: code, limit, offset } } }))) : null,
    [code],
  );
  const label = (kind: string | null) => (kind ? (kindLabel.get(kind) ?? kind) : t('matrix.unassigned'));
  const items = [...(history.data ?? [])].sort((a, b) => b.changedAt.localeCompare(a.changedAt));

  return (
    <Drawer open={matter !== null} onClose={onClose} width={480} title={matter ? t('matrix.historyTitle', { matter: matter.name }) : ''} data-testid="matrix-history">
      {history.error && <Alert type="error" showIcon message={history.error.message} />}
      {history.loading && <Skeleton active />}
      {!history.loading && !history.error && items.length === 0 && <Empty description={t('matrix.noHistory')} />}
      {items.length > 0 && (
        <Timeline
          items={items.map((h, i) => ({
            key: i,
            children: (
              <div>
                <div>
                  <b>{levelName(h.level)}</b>：{label(h.oldDepartmentKind)} → {label(h.newDepartmentKind)}
                </div>
                <div>
                  {t('common.reason')}：{h.reason}
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(lang, h.changedAt)} · {t('matrix.changedBy')}：{h.changedBy ?? '—'}
                </Typography.Text>
              </div>
            ),
          }))}
        />
      )}
    </Drawer>
  );
}
