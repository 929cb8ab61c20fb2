/**
 * The portfolios added in this browser session (the "multi-portfolio session" of the upload
 * flow), kept in sessionStorage until sign-out so a reload does not lose the list.
 */
export type SessionItemStatus = 'processing' | 'ready' | 'warnings' | 'failed';

export interface SessionItem {
  portfolioId: string;
  name: string;
  accountName: string;
  positions: number;
  status: SessionItemStatus;
  addedAt: string;
}

const KEY = 'betaboard.upload-session';
const listeners = new Set<() => void>();
let cache: SessionItem[] | null = null;

function read(): SessionItem[] {
  if (cache) return cache;
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
    cache = Array.isArray(parsed) ? (parsed as SessionItem[]) : [];
  } catch {
    cache = [];
  }
  return cache;
}

function write(items: SessionItem[]): void {
  cache = items;
  try {
    sessionStorage.setItem(KEY, JSON.stringify(items));
  } catch {
    // Storage full or disabled: the list still works for this page's lifetime.
  }
  for (const listener of listeners) listener();
}

export function getUploadSession(): SessionItem[] {
  return read();
}

export function subscribeUploadSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function addToUploadSession(item: Omit<SessionItem, 'addedAt' | 'status'>): void {
  const rest = read().filter((i) => i.portfolioId !== item.portfolioId);
  write([...rest, { ...item, status: 'processing', addedAt: new Date().toISOString() }]);
}

export function setUploadSessionStatus(portfolioId: string, status: SessionItemStatus): void {
  const items = read();
  if (!items.some((i) => i.portfolioId === portfolioId && i.status !== status)) return;
  write(items.map((i) => (i.portfolioId === portfolioId ? { ...i, status } : i)));
}

export function clearUploadSession(): void {
  write([]);
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // ignore
  }
}
