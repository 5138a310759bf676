import { useEffect, useMemo, useState } from 'react';
import { api, fetchAll, unwrap, type CaseVocabulary, type Department, type JurisdictionNode, type MatterType } from '../api/client';
import { useUser } from '../auth/session';
import { useI18n } from '../i18n';
import { useFetch, type FetchState } from './useFetch';
import { jurisdictionTree, useJurisdictionTree } from './useJurisdictionTree';

// Catalogues a case page needs: fetched once per page load (per user where the answer depends on the scope).
let vocabulary: Promise<CaseVocabulary> | null = null;
const matterTypes = new Map<number, Promise<MatterType[]>>();
const departments = new Map<number, Promise<Department[]>>();

function cached<T>(map: Map<number, Promise<T>>, key: number, load: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = load();
    p.catch(() => map.delete(key));
    map.set(key, p);
  }
  return p;
}

function loadVocabulary(): Promise<CaseVocabulary> {
  if (!vocabulary) {
    vocabulary = unwrap(api.GET('/api/case-vocabulary'));
    vocabulary.catch(() => (vocabulary = null));
  }
  return vocabulary;
}

const loadMatterTypes = (userId: number) =>
  cached(matterTypes, userId, () => fetchAll((limit, offset) => unwrap(api.GET('/api/matter-types', { params: { query: { limit, offset } } }))));
const loadDepartments = (userId: number) =>
  cached(departments, userId, () => fetchAll((limit, offset) => unwrap(api.GET('/api/departments', { params: { query: { limit, offset } } }))));

/** Starts the requests of the catalogues a case page needs, before the page is drawn. */
export function prefetchCaseCatalogues(userId: number): void {
  for (const p of [loadVocabulary(), loadMatterTypes(userId), loadDepartments(userId), jurisdictionTree(userId)]) p.catch(() => undefined);
}

export interface Vocabulary {
  /** the labels have answered (or failed: then codes are shown) */
  ready: boolean;
  statusLabel: (status: string) => string;
  actionLabel: (action: string) => string;
  closeReasonLabel: (reason: string) => string;
  statuses: Array<{ value: string; label: string; type: string }>;
  closeReasons: Array<{ value: string; label: string }>;
}

/** Labels of statuses, actions and close reasons, from the server (`/api/case-vocabulary`), in the user's language. */
export function useCaseVocabulary(): Vocabulary {
  const { lang } = useI18n();
  const { data, loading } = useFetch(loadVocabulary, []);
  return useMemo(() => {
    const statuses = data?.statuses ?? {};
    const actions = data?.actions ?? {};
    const reasons = data?.closeReasons ?? {};
    return {
      ready: !loading,
      statusLabel: (s) => statuses[s]?.[lang] ?? s,
      actionLabel: (a) => actions[a]?.[lang] ?? a,
      closeReasonLabel: (r) => reasons[r]?.[lang] ?? r,
      statuses: Object.entries(statuses).map(([value, v]) => ({ value, label: v[lang], type: v.type })),
      closeReasons: Object.entries(reasons).map(([value, v]) => ({ value, label: v[lang] })),
    };
  }, [data, loading, lang]);
}

export function useMatterTypes(): FetchState<MatterType[]> {
  const user = useUser();
  return useFetch(() => loadMatterTypes(user.id), [user.id]);
}

export function useDepartments(): FetchState<Department[]> {
  const user = useUser();
  return useFetch(() => loadDepartments(user.id), [user.id]);
}

export interface Names {
  matter: (code: string | null | undefined) => string;
  department: (id: number | null | undefined) => string;
  jurisdiction: (code: string | null | undefined) => string;
  tree: JurisdictionNode | undefined;
  /** every catalogue has answered (or failed) */
  ready: boolean;
  departments: Department[];
  matterTypes: MatterType[];
}

/** Names for the codes and ids a case carries: matter types, departments, jurisdictions of the user's scope. */
export function useNames(): Names {
  const matters = useMatterTypes();
  const depts = useDepartments();
  const tree = useJurisdictionTree();
  const ready = !matters.loading && !depts.loading && !tree.loading;
  return useMemo(() => {
    const m = new Map((matters.data ?? []).map((x) => [x.code, x.name]));
    const d = new Map((depts.data ?? []).map((x) => [x.id, x.name]));
    const j = new Map<string, string>();
    const walk = (n: JurisdictionNode) => {
      j.set(n.code, n.name);
      n.children.forEach(walk);
    };
    if (tree.data) walk(tree.data.root);
    return {
      matter: (code) => (code ? (m.get(code) ?? code) : ''),
      department: (id) => (id ? (d.get(id) ?? `#${id}`) : ''),
      jurisdiction: (code) => (code ? (j.get(code) ?? code) : ''),
      tree: tree.data?.root,
      ready,
      departments: depts.data ?? [],
      matterTypes: matters.data ?? [],
    };
  }, [matters.data, depts.data, tree.data, ready]);
}

/** The current time, refreshed every `everyMs`: for countdowns. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** A value that follows `value` after it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [out, setOut] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setOut(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return out;
}
