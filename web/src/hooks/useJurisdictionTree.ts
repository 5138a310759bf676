import { api, unwrap, type JurisdictionNode } from '../api/client';
import { useUser } from '../auth/session';
import { useFetch, type FetchState } from './useFetch';

// one request per signed-in user and page load: the tree of one's scope rarely changes during a visit
const cache = new Map<number, Promise<{ root: JurisdictionNode }>>();

export function jurisdictionTree(userId: number): Promise<{ root: JurisdictionNode }> {
  let p = cache.get(userId);
  if (!p) {
    p = unwrap(api.GET('/api/jurisdictions/tree')) as Promise<{ root: JurisdictionNode }>;
    p.catch(() => cache.delete(userId));
    cache.set(userId, p);
  }
  return p;
}

export function useJurisdictionTree(): FetchState<{ root: JurisdictionNode }> {
  const user = useUser();
  return useFetch(() => jurisdictionTree(user.id), [user.id]);
}

export interface TreeSelectNode {
  value: string;
  title: string;
  children?: TreeSelectNode[];
}

/** The tree for a TreeSelect, cut below `deepest` (departments sit at city and district level). */
export function toTreeSelect(node: JurisdictionNode, deepest: JurisdictionNode['level']): TreeSelectNode {
  const order = ['city', 'district', 'street', 'community'];
  const children = order.indexOf(node.level) < order.indexOf(deepest) ? node.children.map((c) => toTreeSelect(c, deepest)) : [];
  return { value: node.code, title: node.name, ...(children.length ? { children } : {}) };
}
