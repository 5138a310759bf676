import { api, unwrap, type CaseListQuery, type Me } from '../../api/client';
import { prefetchCaseCatalogues } from '../../hooks/useCaseData';

export type FilterKey = 'q' | 'status' | 'matterTypeCode' | 'departmentId' | 'jurisdictionCode' | 'channel' | 'overdue' | 'warningLevel';
export type Sort = NonNullable<CaseListQuery['sort']>;
export const PAGE_SIZE = 20;

/** The filters live in the address (e.g. /cases?overdue=true from the dashboard or a notification). */
export function queryOf(params: URLSearchParams, page: number, pageSize: number, sort: Sort): CaseListQuery {
  const get = (k: FilterKey) => params.get(k) || undefined;
  const departmentId = Number(get('departmentId'));
  const overdue = get('overdue');
  return {
    limit: pageSize,
    offset: (page - 1) * pageSize,
    sort,
    ...(get('q') ? { q: get('q') } : {}),
    ...(get('status') ? { status: get('status') as CaseListQuery['status'] } : {}),
    ...(get('matterTypeCode') ? { matterTypeCode: get('matterTypeCode') } : {}),
    ...(departmentId > 0 ? { departmentId } : {}),
    ...(get('jurisdictionCode') ? { jurisdictionCode: get('jurisdictionCode') } : {}),
    ...(get('channel') ? { channel: get('channel') as CaseListQuery['channel'] } : {}),
    ...(overdue === 'true' || overdue === 'false' ? { overdue: overdue === 'true' } : {}),
    ...(get('warningLevel') ? { warningLevel: get('warningLevel') as CaseListQuery['warningLevel'] } : {}),
  };
}

export const fetchCases = (query: CaseListQuery) => unwrap(api.GET('/api/cases', { params: { query } }));
type CaseList = Awaited<ReturnType<typeof fetchCases>>;

let ahead: { key: string; at: number; list: Promise<CaseList> } | null = null;
// once the board has asked for its list, an answer fetched ahead could only be older than the one it has
let asked = false;

/** Starts the board's requests (its first page and the catalogues) when it is the page being opened. */
export function prefetchBoard(user: Me, search: string): void {
  prefetchCaseCatalogues(user.id);
  if (asked) return;
  const query = queryOf(new URLSearchParams(search), 1, PAGE_SIZE, 'newest');
  ahead = { key: JSON.stringify(query), at: Date.now(), list: fetchCases(query) };
  ahead.list.catch(() => undefined);
}

/** The page fetched ahead for this query: once, and only while fresh. */
export function takeAhead(query: CaseListQuery): Promise<CaseList> | null {
  asked = true;
  const hit = ahead && ahead.key === JSON.stringify(query) && Date.now() - ahead.at < 10_000 ? ahead.list : null;
  ahead = null;
  return hit;
}
