import { useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Empty, Skeleton, Tag, Timeline, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { api, unwrap } from '../../api/client';
import { useFetch } from '../../hooks/useFetch';
import { formatDateTime } from '../../format';
import { GRID_CATEGORY_LABELS, pick, useI18n } from '../../i18n';
import { useLevelName } from '../../settings';
import { GridEditModal } from './GridEditModal';
import { KIND_COLORS } from './style';

interface Props {
  gridId: number | null;
  canWrite: boolean;
  communityName: (code: string) => string | undefined;
  onClose: () => void;
  onChanged: () => void;
}

export function GridDrawer({ gridId, canWrite, communityName, onClose, onChanged }: Props) {
  const { lang, t } = useI18n();
  const levelName = useLevelName();
  const [editing, setEditing] = useState(false);
  const detail = useFetch(gridId === null ? null : () => unwrap(api.GET('/api/grids/{id}', { params: { path: { id: gridId } } })), [gridId]);
  const g = detail.data?.id === gridId ? detail.data : undefined;
  const versions = g ? [...g.versions].sort((a, b) => b.version - a.version) : [];

  return (
    <Drawer
      open={gridId !== null}
      onClose={onClose}
      width={440}
      title={g ? `${g.name}` : t('grids.details')}
      data-testid="grid-drawer"
      rootClassName="zhili-grid-drawer"
      mask={false}
      extra={
        canWrite && g ? (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="grid-edit">
            {t('grids.edit')}
          </Button>
        ) : null
      }
    >
      <div data-testid="grid-drawer-body">
        {detail.error && <Alert type="error" showIcon message={detail.error.message} />}
        {!g && !detail.error && <Skeleton active />}
        {g && (
          <>
            <Descriptions column={1} size="small" bordered styles={{ label: { width: 110 } }}>
              <Descriptions.Item label={t('grids.code')}>
                <Typography.Text copyable data-testid="grid-drawer-code">
                  {g.code}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.name')}>{g.name}</Descriptions.Item>
              <Descriptions.Item label={t('grids.kind')}>
                <Tag color={KIND_COLORS[g.kind]}>{t(g.kind === 'base' ? 'grids.kind.base' : 'grids.kind.dedicated')}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.category')}>{g.category ? pick(lang, GRID_CATEGORY_LABELS[g.category], g.category) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('grids.community', { community: levelName('community') })}>
                {communityName(g.communityCode) ?? ''}
                <Typography.Text type="secondary" style={{ marginLeft: 6 }}>
                  {g.communityCode}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.status')}>
                <Tag color={g.status === 'active' ? 'green' : 'default'}>{t(g.status === 'active' ? 'grids.status.active' : 'grids.status.retired')}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.version')}>{g.version}</Descriptions.Item>
            </Descriptions>
            <Typography.Title level={5} style={{ marginTop: 24 }}>
              {t('grids.versions')}
            </Typography.Title>
            {versions.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <Timeline
                data-testid="grid-versions"
                items={versions.map((v) => ({
                  color: v.version === g.version ? 'blue' : 'gray',
                  children: (
                    <div>
                      <div>
                        <b>{t('grids.versionN', { n: v.version })}</b> · {v.name}
                        {v.status === 'retired' && <Tag style={{ marginLeft: 6 }}>{t('grids.status.retired')}</Tag>}
                      </div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(lang, v.filedAt)} · {t('grids.filedBy')}：{v.filedBy?.displayName ?? '—'}
                      </Typography.Text>
                      <div>
                        {t('grids.reason')}：{v.reason}
                      </div>
                      {v.filingNumber && (
                        <div>
                          {t('grids.filingNumber')}：{v.filingNumber}
                        </div>
                      )}
                    </div>
                  ),
                }))}
              />
            )}
            {canWrite && (
              <GridEditModal
                grid={g}
                open={editing}
                onClose={() => setEditing(false)}
                onSaved={() => {
                  setEditing(false);
                  detail.reload();
                  onChanged();
                }}
              />
            )}
          </>
        )}
      </div>
    </Drawer>
  );
}
