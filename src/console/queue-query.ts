import { PRIORITIES, type Priority } from '../ai/classifier.port';
import { OPEN_STATUSES, TICKET_STATUSES, type TicketStatus } from '../domain/ticket/ticket';
import { searchWords } from '../domain/ticket/search-words';

export const SLA_STATES = ['breached', 'due_soon', 'on_track', 'none'] as const;
export type SlaState = (typeof SLA_STATES)[number];
export const QUEUE_SORTS = ['newest', 'oldest', 'priority', 'updated'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export const PAGE_SIZE = 25;

/** The queue's filters as the page's form sends them (every one optional). */
export interface QueueQuery {
  words: string[];
  /** Empty: any status. The form's default view is the open ones. */
  status: TicketStatus[];
  priority: Priority[];
  team?: string;
  /** `me`, `none` (unassigned) or `platform:id`. */
  assignee?: string;
  tag?: string;
  category?: string;
  sla?: SlaState;
  /** YYYY-MM-DD, in the desk's time zone; `to` included. */
  createdFrom?: string;
  createdTo?: string;
  /** Last changed within these days (YYYY-MM-DD, desk zone; `to` included). */
  updatedFrom?: string;
  updatedTo?: string;
  sort: QueueSort;
  page: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const pick = <T extends string>(all: readonly T[], values: string[]): T[] => values.filter((v): v is T => (all as readonly string[]).includes(v));
const short = (v: string | null, max = 80) => (v ? v.trim().slice(0, max) : '') || undefined;

/** Reads the queue form (untrusted text: unknown values are dropped, lengths capped). */
export function parseQueueQuery(params: URLSearchParams): QueueQuery {
  const statusParam = params.getAll('status');
  const status = statusParam.includes('any') ? [] : statusParam.length === 0 ? [...OPEN_STATUSES] : pick(TICKET_STATUSES, statusParam);
  const q: QueueQuery = {
    words: searchWords(short(params.get('q'), 200) ?? '').slice(0, 8),
    status,
    priority: pick(PRIORITIES, params.getAll('priority')),
    sort: pick(QUEUE_SORTS, [params.get('sort') ?? ''])[0] ?? 'newest',
    page: Math.min(Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1), 400),
  };
  for (const key of ['team', 'assignee', 'tag', 'category'] as const) {
    const v = short(params.get(key));
    if (v) q[key] = v;
  }
  const sla = pick(SLA_STATES, [params.get('sla') ?? ''])[0];
  if (sla) q.sla = sla;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (DATE.test(from)) q.createdFrom = from;
  if (DATE.test(to)) q.createdTo = to;
  const ufrom = params.get('ufrom') ?? '';
  const uto = params.get('uto') ?? '';
  if (DATE.test(ufrom)) q.updatedFrom = ufrom;
  if (DATE.test(uto)) q.updatedTo = uto;
  return q;
}

/** The query string that gives `q` back (links to other pages, exports). */
export function queueQueryString(q: QueueQuery, raw: URLSearchParams, overrides: Record<string, string> = {}): string {
  const out = new URLSearchParams();
  const words = raw.get('q');
  if (words) out.set('q', words.slice(0, 200));
  if (q.status.length === 0) out.append('status', 'any');
  else for (const s of q.status) out.append('status', s);
  for (const p of q.priority) out.append('priority', p);
  for (const key of ['team', 'assignee', 'tag', 'category', 'sla'] as const) if (q[key]) out.set(key, q[key]!);
  if (q.createdFrom) out.set('from', q.createdFrom);
  if (q.createdTo) out.set('to', q.createdTo);
  if (q.updatedFrom) out.set('ufrom', q.updatedFrom);
  if (q.updatedTo) out.set('uto', q.updatedTo);
  out.set('sort', q.sort);
  for (const [k, v] of Object.entries(overrides)) out.set(k, v);
  return out.toString();
}
