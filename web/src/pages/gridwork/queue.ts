/**
 * The phone's outbox: reports, visits and log entries made without a network wait in IndexedDB and are sent when
 * it returns. Each item carries its key (clientKey or Idempotency-Key) from the moment it is made, so sending it
 * twice changes nothing on the server; an item leaves the queue only after the server answered it.
 */
export type QueuedKind = 'visit' | 'log' | 'report';

export interface QueuedItem {
  key: string;
  kind: QueuedKind;
  body: Record<string, unknown>;
  photo?: Blob | undefined;
  photoName?: string | undefined;
  createdAt: number;
}

const DB = 'zhili-gridwork';
const STORE = 'outbox';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const r = fn(db.transaction(STORE, mode).objectStore(STORE));
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export const enqueue = (item: QueuedItem) => tx('readwrite', (s) => s.put(item));
export const pending = () => tx<QueuedItem[]>('readonly', (s) => s.getAll() as IDBRequest<QueuedItem[]>);
const remove = (key: string) => tx('readwrite', (s) => s.delete(key));

export function newKey(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

async function csrf(): Promise<string> {
  const res = await fetch('/api/me', { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`me ${res.status}`);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

const PATHS: Record<QueuedKind, string> = { visit: '/api/gridwork/visits', log: '/api/gridwork/log', report: '/api/gridwork/reports' };

/** Sends one item; true when the server has it (created now or before), false to keep it for later. */
export async function send(item: QueuedItem, token: string): Promise<boolean> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-CSRF-Token': token };
  if (item.kind === 'report') headers['Idempotency-Key'] = item.key;
  const res = await fetch(PATHS[item.kind], { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(item.kind === 'report' ? item.body : { ...item.body, clientKey: item.key }) });
  if (res.status >= 500 || res.status === 401) return false;
  if (!res.ok) {
    // refused for good (bad input, out of scope): drop it rather than retry forever, and say so
    console.warn('queued item refused', item.kind, res.status, await res.text());
    return true;
  }
  if (item.kind === 'report' && item.photo) {
    const { caseId } = (await res.json()) as { caseId: number };
    const form = new FormData();
    form.append('file', item.photo, item.photoName ?? 'photo.png');
    const up = await fetch(`/api/cases/${caseId}/attachments`, { method: 'POST', headers: { 'X-CSRF-Token': token }, credentials: 'same-origin', body: form });
    if (up.status >= 500) return false;
  }
  return true;
}

let flushing: Promise<number> | null = null;

/** Sends everything waiting, oldest first; answers how many remain. One flush at a time. */
export function flush(): Promise<number> {
  flushing ??= (async () => {
    try {
      const items = (await pending()).sort((a, b) => a.createdAt - b.createdAt);
      if (!items.length) return 0;
      const token = await csrf();
      let left = 0;
      for (const item of items) {
        const ok = await send(item, token).catch(() => false);
        if (ok) await remove(item.key);
        else left++;
      }
      return left;
    } catch {
      return (await pending()).length;
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

/** Makes an item and tries to send it at once; offline, it waits in the queue. */
export async function submit(item: Omit<QueuedItem, 'createdAt'>): Promise<'sent' | 'queued'> {
  await enqueue({ ...item, createdAt: Date.now() });
  if (!navigator.onLine) return 'queued';
  const left = await flush();
  return left === 0 ? 'sent' : 'queued';
}

export function registerServiceWorker(): void {
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/gridwork-sw.js').catch(() => undefined);
  window.addEventListener('online', () => void flush());
}
