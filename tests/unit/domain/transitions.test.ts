import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import { deskConfigSchema } from '../../../src/config/desk-config.schema';
import { isChatdeskError } from '../../../src/domain/errors';
import type { UserRef } from '../../../src/domain/ticket/ticket';
import { validateDraft } from '../../../src/domain/ticket/ticket-draft';
import { applyAction, normalizeTag } from '../../../src/domain/ticket/transitions';
import { aTicket, TICKET_T0 } from '../../support/ticket-factory';

const t0 = TICKET_T0;
const bob: UserRef = { platform: 'slack', id: 'U_BOB', name: 'bob' };
const carol: UserRef = { platform: 'slack', id: 'U_CAROL', name: 'carol' };
const ticket = aTicket;

describe('ticket transitions', () => {
  it('claim assigns, starts work, records first response and the audit entry', () => {
    const later = new Date(t0.getTime() + 60_000);
    const next = applyAction(ticket(), { kind: 'claim' }, bob, later);
    expect(next).toMatchObject({ status: 'in_progress', assignee: bob, firstResponseAt: later, version: 2 });
    expect(next.activity).toEqual([{ at: later, action: 'claimed', actor: bob, from: 'new', to: 'in_progress' }]);
  });

  it('a second claimer gets a coded error naming who has it; the same agent clicking again changes nothing', () => {
    const claimed = applyAction(ticket(), { kind: 'claim' }, bob, t0);
    expect(applyAction(claimed, { kind: 'claim' }, bob, t0)).toBe(claimed);
    try {
      applyAction(claimed, { kind: 'claim' }, carol, t0);
      throw new Error('expected a refusal');
    } catch (err) {
      expect(isChatdeskError(err, 'chatdesk_ticket_already_claimed')).toBe(true);
      expect((err as Error).message).toBe('T-1001 is already claimed by bob');
    }
  });

  it('refuses illegal transitions with a coded error and leaves the ticket as it was', () => {
    const closed = ticket({ status: 'closed' });
    for (const kind of ['claim', 'resolve', 'escalate', 'reopen'] as const) {
      expect(() => applyAction(closed, { kind } as never, bob, t0)).toThrow(expect.objectContaining({ code: 'chatdesk_transition_illegal' }));
    }
    expect(() => applyAction(ticket(), { kind: 'reopen' }, bob, t0)).toThrow('T-1001 is new: it cannot be reopened now');
    expect(closed.status).toBe('closed');
  });

  it('escalate raises priority one step and never past P0; resolve and reopen round-trip', () => {
    const e1 = applyAction(ticket({ priority: 'P1' }), { kind: 'escalate' }, bob, t0);
    expect([e1.priority, e1.escalationLevel]).toEqual(['P0', 1]);
    expect(applyAction(e1, { kind: 'escalate' }, bob, t0).priority).toBe('P0');
    const resolved = applyAction(applyAction(ticket(), { kind: 'claim' }, bob, t0), { kind: 'resolve' }, bob, t0);
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: t0 });
    expect(applyAction(resolved, { kind: 'reopen' }, carol, t0)).toMatchObject({ status: 'in_progress', resolvedAt: undefined });
  });
});

describe('ticket drafts against configured types', () => {
  const desk = deskConfigSchema.parse(defaultDeskConfig);
  it('accepts a valid draft, trimming and keeping typed fields', () => {
    const r = validateDraft({ title: '  Need   Figma ', type: 'access', fields: { system: ' Figma ', justification: '' } }, desk);
    expect(r).toEqual({ ok: true, draft: { title: 'Need Figma', description: '', type: 'access', fields: { system: 'Figma' } } });
  });
  it('reports every problem by field', () => {
    const r = validateDraft({ title: 'x'.repeat(151), description: 'y'.repeat(4001), type: 'request', fields: { needed_by: '31/12/2026' } }, desk);
    expect(r).toEqual({
      ok: false,
      errors: { title: 'at most 150 characters (this one has 151)', description: 'at most 4000 characters', needed_by: 'expected a date (YYYY-MM-DD)' },
    });
    expect(validateDraft({ title: 'x', type: 'pizza' }, desk)).toEqual({ ok: false, errors: { type: 'unknown ticket type "pizza"' } });
  });

  it('a date field with min "today" refuses a past date, takes today and later, where today is the desk time zone\'s date', () => {
    const request = (neededBy: string, now: Date, timeZone = 'UTC') =>
      validateDraft({ title: 'New laptop', type: 'request', fields: { needed_by: neededBy } }, desk, { now, timeZone });
    const now = new Date('2026-12-02T00:30:00Z'); // already 2 December in UTC, still 1 December in New York
    expect(request('2026-12-01', now)).toEqual({ ok: false, errors: { needed_by: 'must be today (2026-12-02) or later' } });
    expect(request('2026-12-02', now)).toMatchObject({ ok: true, draft: { fields: { needed_by: '2026-12-02' } } });
    expect(request('2027-01-15', now)).toMatchObject({ ok: true });
    expect(request('2026-12-01', now, 'America/New_York')).toMatchObject({ ok: true });
    expect(request('2026-11-30', now, 'America/New_York')).toEqual({ ok: false, errors: { needed_by: 'must be today (2026-12-01) or later' } });
    expect(request('2026-12-02', now, 'Asia/Shanghai')).toMatchObject({ ok: true });
  });

  it('min "today" is only for date fields, and a date field takes no number min', () => {
    const withField = (field: Record<string, unknown>) =>
      deskConfigSchema.safeParse({ ...defaultDeskConfig, ticketTypes: [{ id: 'incident', name: 'Broken', fields: [{ id: 'f', label: 'F', ...field }] }] });
    expect(withField({ kind: 'date', min: 'today' }).success).toBe(true);
    expect(withField({ kind: 'number', min: 'today' }).error?.issues.map((i) => i.message)).toEqual(['min "today" is for date fields']);
    expect(withField({ kind: 'date', min: 3 }).error?.issues.map((i) => i.message)).toEqual(['a date field takes min "today" (no past dates)']);
    expect(withField({ kind: 'date', min: 'tomorrow' }).success).toBe(false);
  });

  it('a requester reply resumes only a ticket waiting on them; otherwise it is recorded without a status change', () => {
    const alice: UserRef = { platform: 'slack', id: 'U_ALICE' };
    const waiting = applyAction(applyAction(ticket(), { kind: 'claim' }, bob, t0), { kind: 'wait_on_requester' }, bob, t0);
    expect(waiting.status).toBe('waiting_on_requester');
    const resumed = applyAction(waiting, { kind: 'requester_replied', text: 'door 4' }, alice, t0);
    expect(resumed.status).toBe('in_progress');
    expect(resumed.activity.at(-1)).toEqual({
      at: t0,
      action: 'requester_replied',
      actor: alice,
      from: 'waiting_on_requester',
      to: 'in_progress',
      note: 'door 4',
    });
    const noted = applyAction(ticket(), { kind: 'requester_replied', text: 'more info' }, alice, t0);
    expect(noted.status).toBe('new');
    expect(() => applyAction(ticket({ status: 'resolved' }), { kind: 'requester_replied' }, alice, t0)).toThrow(/resolved/);
  });

  it('a duplicate is closed and linked; a deflected ticket is resolved with the answer that solved it; recategorising records both categories', () => {
    const alice: UserRef = { platform: 'slack', id: 'U_ALICE' };
    const linked = applyAction(ticket(), { kind: 'link_duplicate', of: 'T-1000' }, alice, t0);
    expect(linked).toMatchObject({ status: 'closed', closedAt: t0 });
    expect(linked.activity.at(-1)).toMatchObject({ action: 'duplicate_linked', to: 'T-1000' });
    const watched = applyAction(ticket(), { kind: 'add_watcher', watcher: carol, from: 'T-1002' }, carol, t0);
    expect(watched.watchers).toEqual([carol]);
    expect(applyAction(watched, { kind: 'add_watcher', watcher: carol, from: 'T-1003' }, carol, t0).watchers).toEqual([carol]);
    const deflected = applyAction(ticket(), { kind: 'deflect', entryId: 'kb-1' }, alice, t0);
    expect(deflected).toMatchObject({ status: 'resolved', resolvedAt: t0 });
    expect(deflected.activity.at(-1)).toMatchObject({ action: 'deflected', note: 'kb-1' });
    const moved = applyAction(ticket(), { kind: 'recategorize', category: 'network' }, bob, t0);
    expect(moved).toMatchObject({ category: 'network', categoryConfidence: 1 });
    expect(moved.activity.find((a) => a.action === 'recategorized')).toMatchObject({ from: 'hardware', to: 'network' });
    // A person set the category: the new ticket is triaged.
    expect(moved.status).toBe('triaged');
    expect(moved.activity.at(-1)).toMatchObject({ action: 'triaged', from: 'new', to: 'network/P2' });
    expect(applyAction(ticket(), { kind: 'recategorize', category: 'hardware' }, bob, t0).version).toBe(1);
  });

  it('an agent reply counts as the first response', () => {
    const replied = applyAction(ticket(), { kind: 'reply', text: 'Try turning it off and on' }, bob, t0);
    expect(replied.firstResponseAt).toEqual(t0);
    expect(replied.status).toBe('new');
    expect(replied.activity.at(-1)).toMatchObject({ action: 'agent_replied', note: 'Try turning it off and on' });
  });

  it('the requester marking their own ticket solved resolves it without becoming its assignee or counting as a response', () => {
    const alice: UserRef = { platform: 'slack', id: 'U_ALICE' };
    const next = applyAction(ticket(), { kind: 'resolve' }, alice, t0);
    expect(next.status).toBe('resolved');
    expect(next.assignee).toBeUndefined();
    expect(next.firstResponseAt).toBeUndefined();
    expect(applyAction(next, { kind: 'reopen' }, alice, t0).status).toBe('new');
  });

  it('tags: adds new ones after the existing, removes named ones, changes nothing when nothing changes', () => {
    const tagged = applyAction(ticket({ tags: ['printer'] }), { kind: 'tag', add: ['vpn', 'printer'], remove: [] }, bob, t0);
    expect(tagged.tags).toEqual(['printer', 'vpn']);
    expect(tagged.activity.at(-1)).toEqual({ at: t0, action: 'tagged', actor: bob, from: 'printer', to: 'printer vpn' });
    expect(applyAction(tagged, { kind: 'tag', add: ['vpn'], remove: [] }, bob, t0)).toBe(tagged);
    expect(applyAction(tagged, { kind: 'tag', add: [], remove: ['printer'] }, bob, t0).tags).toEqual(['vpn']);
    expect(normalizeTag('#VPN')).toBe('vpn');
    expect(normalizeTag('网络')).toBe('网络');
    expect(normalizeTag('<b>')).toBeUndefined();
  });
});
