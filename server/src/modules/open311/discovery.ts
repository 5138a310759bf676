import { MATTER_CATEGORIES, type MatterCategory } from '../matters/index.js';
import { w3c } from './wire.js';

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

/** The service discovery document (wiki.open311.org/Service_Discovery) for this deployment. */
export function discoveryDocument(baseUrl: string, changedAt: Date | null) {
  const changeset = w3c(changedAt ?? new Date(0));
  return {
    changeset,
    contact: '本平台系统管理员 / The system administrator of this Zhili deployment',
    key_service: 'API 密钥由系统管理员签发（POST /api/open311/clients），仅提交诉求需要；GET 方法公开。 / API keys are issued by the system administrator (POST /api/open311/clients); only POST requests needs one, GET methods are public.',
    endpoints: [{ specification: SPECIFICATION, url: `${baseUrl}/open311/v2`, changeset, type: 'production', formats: ['text/xml', 'application/json'] }],
  };
}

interface MatterRow {
  code: string;
  name: string;
  category: string;
  description: string;
  keywords: string[];
}

/** A matter type as a GeoReport service: realtime, no extra attributes, grouped by its category's Chinese label. */
export function toService(m: MatterRow) {
  return {
    service_code: m.code,
    service_name: m.name,
    description: m.description,
    metadata: false,
    type: 'realtime',
    keywords: m.keywords.join(','),
    group: MATTER_CATEGORIES[m.category as MatterCategory]?.zh ?? m.category,
  };
}
