/**
 * SlaRunner on an in-memory SlaNotificationLog: batches, exactly-once across
 * runners sharing one log, a live claim of another sender, and a failed send.
 */
import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import { deskConfigSchema } from '../../../src/config/desk-config.schema';
import { loadSlaConfig } from '../../../src/config/sla-config';
import type { HelpDesk } from '../../../src/core/help-desk';
import { KeyedMutex } from '../../../src/core/keyed-mutex';
import { SLA_CLAIM_LEASE_MS, SlaRunner } from '../../../src/core/sla-runner';
import { startClock } from '../../../src/domain/sla/clock';
import type { ClaimOutcome, SlaDelivery, SlaNotificationLog, SlaOutcome, SlaProgress, SlaTicketState, SlaTimer } from '../../../src/domain/sla/sla-log.port';
import type { Ticket } from '../../../src/domain/ticket/ticket';
import type { TicketRepository } from '../../../src/domain/ticket/ticket.repository.port';
import { silentLogger } from '../../../src/logger';

const MIN = 60_000;
const t0 = new Date('2026-11-23T09:00:00Z');
const desk = deskConfigSchema.parse({
  ...defaultDeskConfig,
  sla: {
    policies: Object.fromEntries(['P0', 'P1', 'P2', 'P3'].map((p) => [p, { firstResponse: '10m', resolution: '1h' }])),
    reminders: { fractions: [0.5, 1] },
  },
});
const sla = loadSlaConfig(desk);

function ticket(n: number): Ticket {
  return {
    id: `t${n}`,
    number: n,
    key: `T-${n}`,
    title: `Ticket ${n}`,
    description: '',
    type: 'incident',
    fields: {},
    requester: { platform: 'playground', id: 'alice' },
    team: 'it',
    category: 'software',
    categoryConfidence: 1,
    priority: 'P2',
    priorityConfidence: 1,
    classificationReason: '',
    status: 'new',
    escalationLevel: 0,
    tags: [],
    agentCards: [{ platform: 'playground', channelId: 'agents', messageId: `card-${n}` }],
    createdAt: t0,
    updatedAt: t0,
    activity: [{ at: t0, action: 'created', actor: { platform: 'playground', id: 'alice' } }],
    sla: startClock(t0, 'P2'),
    version: 1,
  };
}

class MemoryLog implements SlaNotificationLog {
  timers = new Map<string, SlaTimer>();
  claims = new Map<string, { at: number; sent: boolean }>();
  audit = new Map<string, SlaDelivery[]>();
  constructor(readonly tickets: Map<string, Ticket>) {}
  async prepare() {}
  async dueTimers(until: Date) {
    this.reads.push('all');
    return [...this.timers.values()].filter((t) => t.at <= until).sort((a, b) => a.at.getTime() - b.at.getTime());
  }
  async timersBetween(from: Date, until: Date) {
    this.reads.push(`from ${(from.getTime() - t0.getTime()) / 1000} s`);
    return [...this.timers.values()].filter((t) => t.at >= from && t.at <= until);
  }
  /** A ticket's one wake-up (its slaNextAt). */
  schedule(timers: ReadonlyArray<{ ticketId: string; at: Date }>) {
    for (const t of timers) this.timers.set(t.ticketId, { id: `${t.ticketId}:${t.at.getTime()}`, ticketId: t.ticketId, at: t.at });
  }
  async record(outcomes: readonly SlaOutcome[]) {
    for (const o of outcomes) {
      for (const d of o.delivered) {
        (this.claims.get(d.key) as { sent: boolean }).sent = true;
        this.audit.set(d.ticketId, [...(this.audit.get(d.ticketId) ?? []), d]);
      }
      this.timers.delete(o.ticketId);
      if (o.nextAt) this.schedule([{ ticketId: o.ticketId, at: o.nextAt }]);
    }
  }
  /** What the last worker's heartbeat said, and the reads made. */
  beat: { at: Date; progress?: SlaProgress } | undefined;
  reads: string[] = [];
  async lastHeartbeat() {
    return this.beat;
  }
  async load(ids: readonly string[]) {
    const out = new Map<string, SlaTicketState>();
    for (const id of ids) {
      const tk = this.tickets.get(id);
      const rows = this.audit.get(id) ?? [];
      if (tk) out.set(id, { ticket: { ...tk, activity: [...tk.activity, ...rows.map((r) => r.entry)] }, sent: new Set(rows.map((r) => r.key)) });
    }
    return out;
  }
  async heartbeat() {}
  maySend() {
    return true;
  }
  async claim(claims: ReadonlyArray<{ key: string }>, now: Date, leaseMs: number) {
    const out = new Map<string, ClaimOutcome>();
    for (const c of claims) {
      const held = this.claims.get(c.key);
      if (!held) {
        this.claims.set(c.key, { at: now.getTime(), sent: false });
        out.set(c.key, { status: 'claimed' });
      } else if (held.sent) out.set(c.key, { status: 'sent' });
      else out.set(c.key, { status: 'busy', leaseEndsAt: new Date(held.at + leaseMs) });
    }
    return out;
  }
  async release(keys: readonly string[]) {
    for (const k of keys) this.claims.delete(k);
  }
}

function setup(n: number) {
  let now = t0.getTime();
  const tickets = new Map(Array.from({ length: n }, (_, i) => [`t${i}`, ticket(i)] as const));
  const log = new MemoryLog(tickets);
  const posted: string[] = [];
  let failing = false;
  const fakeDesk = {
    desk,
    sla,
    locks: new KeyedMutex(),
    notifier: {
      postInCardThreads: async (tk: Ticket, m: { text: string }) => {
        if (failing) return false;
        posted.push(`${tk.key} ${m.text.includes('5m left') ? '50%' : '100%'}`);
        return true;
      },
      direct: async () => ({}),
      refreshCards: async () => undefined,
    },
    notifyEscalation: async () => undefined,
  } as unknown as HelpDesk;
  const runner = () => new SlaRunner({ desk: fakeDesk, tickets: {} as TicketRepository, log, logger: silentLogger(), now: () => new Date(now) });
  return { log, posted, runner, advance: (ms: number) => (now += ms), fail: (on: boolean) => (failing = on) };
}

describe('SlaRunner', () => {
  it('fires a batch once, even with two runners on one log, and plans the next wake-ups', async () => {
    const { log, posted, runner, advance } = setup(30);
    log.schedule([...log.tickets.keys()].map((ticketId) => ({ ticketId, at: new Date(t0.getTime() + 5 * MIN) })));
    advance(5 * MIN);
    const [a, b] = [runner(), runner()];
    await Promise.all([a.sweep(), b.sweep(), a.fireMany(['t0', 't1']), b.fire('t2')]);
    expect(posted.sort()).toEqual([...log.tickets.values()].map((tk) => `${tk.key} 50%`).sort());
    expect(log.audit.get('t0')?.map((d) => d.entry.note)).toEqual(['first_response 50%']);
    // Next: the 100% reminder at 10 min.
    expect([...log.timers.values()].every((tm) => tm.at.getTime() === t0.getTime() + 10 * MIN)).toBe(true);
    advance(5 * MIN);
    await a.sweep();
    expect(posted.filter((p) => p.endsWith('100%'))).toHaveLength(30);
  });

  it('leaves a key claimed by a live sender alone and looks again when its lease ends', async () => {
    const { log, posted, runner, advance } = setup(1);
    advance(5 * MIN);
    await log.claim([{ key: 't0:first_response:reminder:0.5:1' }], new Date(t0.getTime() + 5 * MIN), SLA_CLAIM_LEASE_MS);
    await runner().fire('t0');
    expect(posted).toEqual([]);
    expect([...log.timers.values()].map((tm) => tm.at.getTime())).toEqual([t0.getTime() + 5 * MIN + SLA_CLAIM_LEASE_MS]);
  });

  it('a worker that starts with wake-ups overdue (a restart) fires each of them once from its loop', async () => {
    const { log, posted, runner, advance } = setup(3);
    log.schedule([...log.tickets.keys()].map((ticketId) => ({ ticketId, at: new Date(t0.getTime() + 5 * MIN) })));
    advance(5 * MIN);
    const stop = new AbortController();
    const running = runner().run({ signal: stop.signal, tickMs: 5, scanEveryMs: 20 });
    for (let i = 0; i < 200 && posted.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    stop.abort();
    await running;
    expect(posted.sort()).toEqual(['T-0 50%', 'T-1 50%', 'T-2 50%']);
  });

  it('a worker that takes over reads on from where the last one stood, not every wake-up', async () => {
    const { log, posted, runner, advance } = setup(3);
    log.schedule([...log.tickets.keys()].map((ticketId) => ({ ticketId, at: new Date(t0.getTime() + 5 * MIN) })));
    advance(5 * MIN + 2000);
    // The last worker had handled everything due until 1 s before these wake-ups, then died.
    log.beat = { at: new Date(), progress: { handledUntil: new Date(t0.getTime() + 5 * MIN - 1000), lateS: 0 } };
    const stop = new AbortController();
    const running = runner().run({ signal: stop.signal, tickMs: 5, scanEveryMs: 20 });
    for (let i = 0; i < 200 && posted.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    await running;
    expect(posted.sort()).toEqual(['T-0 50%', 'T-1 50%', 'T-2 50%']);
    expect(log.reads[0]).toBe(`from ${5 * 60 - 5} s`);
    expect(log.reads).not.toContain('all');
  });

  it('releases the claim of a failed send and tries again 10 s later', async () => {
    const { log, posted, runner, advance, fail } = setup(1);
    advance(5 * MIN);
    fail(true);
    expect(await runner().fire('t0')).toEqual({ sent: 0, failed: 1 });
    expect(log.claims.size).toBe(0);
    expect([...log.timers.values()].map((tm) => tm.at.getTime())).toEqual([t0.getTime() + 5 * MIN + 10_000]);
    fail(false);
    advance(10_000);
    await runner().sweep();
    expect(posted).toEqual(['T-0 50%']);
  });
});
