import { AppError, badRequest, type Lang } from '../../http/errors.js';
import { CASE_STATUSES, type CaseStatus, caseNumberOf, intakeCase, type IntakeContext } from '../cases/index.js';
import { findMatterType } from '../matters/index.js';
import { type PublicRequestRow, recordRequest } from './repository.js';
import { closingText, type TimelineFacts, updateDescription, updateStatus } from './status.js';
import { w3c } from './wire.js';
import { timeLimitOf } from '../calendar/index.js';

/** The POST requests arguments, as the spec names them (after empty values are dropped). */
export interface PostRequestArgs {
  jurisdiction_id?: string | undefined;
  service_code: string;
  lat?: number | undefined;
  long?: number | undefined;
  address_string?: string | undefined;
  address_id?: string | undefined;
  email?: string | undefined;
  device_id?: string | undefined;
  account_id?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  phone?: string | undefined;
  description?: string | undefined;
  media_url?: string | undefined;
}

export interface Open311Client {
  id: number;
  name: string;
}

const COMMUNITY_CODE = /^\d{12}$/;
const PHONE = /^1[3-9]\d{9}$|^0\d{2,3}\d{7,8}$/;
const CJK = /[\u3400-\u9fff]/;

/** +86 138-0000-0000 → 13800000000; null when it is no Chinese mobile or landline number. */
export function normalisePhone(raw: string): string | null {
  const p = raw.replace(/[\s().-]/g, '').replace(/^(\+86|0086)/, '');
  return PHONE.test(p) ? p : null;
}

/** Chinese names put the family name first; others keep the order they came in. */
export function reporterName(first: string | undefined, last: string | undefined): string | undefined {
  const parts = [first?.trim(), last?.trim()].filter((s): s is string => Boolean(s));
  if (parts.length === 0) return undefined;
  const name = CJK.test(parts.join('')) ? [last?.trim(), first?.trim()].filter(Boolean).join('') : parts.join(' ');
  return [...name].slice(0, 50).join('');
}

/** What the centre commits to for a service, from the matter's time limit. */
export function serviceNotice(m: { time_limit_days: number | null; priority: string | null } | undefined, lang: Lang): string | null {
  if (!m || m.time_limit_days === null) return null;
  const limit = timeLimitOf({ priority: m.priority, time_limit_days: m.time_limit_days });
  if (limit.unit === 'hours') return lang === 'zh' ? `紧急事项：立案后 ${limit.hours} 小时内办结` : `Urgent: handled within ${limit.hours} hours of registration`;
  return lang === 'zh' ? `办理时限：立案后 ${limit.days} 个工作日` : `Handled within ${limit.days} working days of registration`;
}

/** Field names of the case intake, as the Open311 client knows them. */
const FIELD_NAMES: Record<string, string> = { location: 'lat', communityCode: 'jurisdiction_id', matterTypeCode: 'service_code', 'reporter.phone': 'phone' };

function renamed(err: unknown): unknown {
  if (err instanceof AppError && err.field && FIELD_NAMES[err.field]) return new AppError(err.status, err.code, err.text, FIELD_NAMES[err.field]);
  return err;
}

/**
 * POST requests: checks the Open311 location rule, then takes the request in through the one intake window as
 * an ordinary case (channel open311, status received, routed like any other). The case number is the id.
 */
export async function submitServiceRequest(ctx: IntakeContext, client: Open311Client, a: PostRequestArgs, lang: Lang, idempotencyKey?: string) {
  const hasLat = a.lat !== undefined;
  if (hasLat !== (a.long !== undefined)) {
    const missing = hasLat ? 'long' : 'lat';
    throw badRequest(missing, `缺少 ${missing}：lat 与 long 须同时提供`, `${missing} is missing: lat and long go together`, 'required');
  }
  const community = a.jurisdiction_id && COMMUNITY_CODE.test(a.jurisdiction_id) ? a.jurisdiction_id : undefined;
  if (!hasLat) {
    if (!a.address_string) {
      throw badRequest('lat', '请提供 lat 与 long，或 address_string 加 jurisdiction_id（12 位社区代码）', 'Give lat and long, or address_string with a 12-digit community code in jurisdiction_id', 'required');
    }
    if (!community) {
      throw badRequest('jurisdiction_id', '本系统无法对地址进行地理编码：仅有 address_string 时，jurisdiction_id 须为 12 位社区代码', 'An address cannot be geocoded here: with address_string alone, jurisdiction_id must be a 12-digit community code', 'required');
    }
  }
  let phone: string | undefined;
  if (a.phone) {
    phone = normalisePhone(a.phone) ?? undefined;
    if (!phone) throw badRequest('phone', 'phone 不是有效的手机号或固定电话', 'phone is not a valid Chinese mobile or landline number', 'invalid');
  }
  if (a.media_url && !isWebUrl(a.media_url)) throw badRequest('media_url', 'media_url 须为 http(s) 地址', 'media_url must be an http(s) URL', 'invalid');
  const matter = await findMatterType(ctx.db, a.service_code);
  if (!matter || !matter.active) throw badRequest('service_code', `服务 ${a.service_code} 不存在或已停用`, `Service ${a.service_code} does not exist or is inactive`, 'unknown_code');

  const text = a.description?.trim() ?? '';
  const firstLine = text.split(/\r?\n/)[0]!.trim();
  const title = firstLine.length >= 2 ? [...firstLine].slice(0, 60).join('') : matter.name;
  // staff see the client's picture only through the case itself
  const description = [text || matter.name, a.media_url ? `附图 / Media: ${a.media_url}` : ''].filter(Boolean).join('\n\n');
  let result;
  try {
    result = await intakeCase(
      ctx,
      { kind: 'client', id: `open311:${client.id}`, name: client.name },
      {
        channel: 'open311',
        title,
        description,
        matterTypeCode: matter.code,
        location: hasLat ? { lng: a.long!, lat: a.lat! } : undefined,
        address: a.address_string,
        communityCode: community,
        reporter: { name: reporterName(a.first_name, a.last_name), phone },
      },
      idempotencyKey,
      (trx, caseId) => recordRequest(trx, { caseId, clientId: client.id, accountId: a.account_id ?? null, mediaUrl: a.media_url ?? null }),
    );
  } catch (err) {
    throw renamed(err);
  }
  const number = await caseNumberOf(ctx.db, result.caseId);
  return { service_request_id: number, service_notice: serviceNotice(matter, lang), account_id: a.account_id ?? null };
}

function isWebUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** One request as the GET methods publish it: the spec's fields, in its order, nothing about the reporter. */
export function toPublicRequest(r: PublicRequestRow, lang: Lang) {
  const closed = r.status_type === 'closed';
  return {
    service_request_id: r.number,
    status: closed ? 'closed' : 'open',
    status_notes: closed ? closingText(r.close_reason, r.close_note, r.responsible_elsewhere, lang) : (CASE_STATUSES[r.status as CaseStatus]?.[lang] ?? null),
    service_name: r.matter_name,
    service_code: r.matter_type_code,
    description: r.description,
    agency_responsible: r.department_name ?? r.handling_name,
    service_notice: serviceNotice(r.time_limit_days === null ? undefined : { time_limit_days: r.time_limit_days, priority: r.priority }, lang),
    requested_datetime: w3c(r.created_at),
    updated_datetime: w3c(r.updated_at),
    expected_datetime: w3c(r.deadline),
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lng,
    media_url: r.media_url,
  };
}

/** One timeline entry as a request_update, or null when it is not for the public. */
export function toUpdate(e: TimelineFacts & { id: number; at: Date; number: string }, lang: Lang) {
  const status = updateStatus(e);
  if (!status) return null;
  return { update_id: String(e.id), service_request_id: e.number, status, updated_datetime: w3c(e.at), description: updateDescription(e, lang), media_url: null };
}
