import { isChatdeskError } from '../../../src/domain/errors';
import { SYSTEM_ACTOR, type Ticket, TICKET_STATUSES, type UserRef } from '../../../src/domain/ticket/ticket';
import { applyAction, autoCloseAt, autoCloseDue, isConfidentTriage } from '../../../src/domain/ticket/transitions';
import { ticketHistory } from '../../../src/core/ticket-history';
import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import { deskConfigSchema } from '../../../src/config/desk-config.schema';
import { aTicket, TICKET_T0 } from '../../support/ticket-factory';

const DAY = 86_400_000;
const t0 = TICKET_T0;
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const alice: UserRef = { platform: 'slack', id: 'U_ALICE', name: 'alice' };
const bob: UserRef = { platform: 'slack', id: 'U_BOB', name: 'bob' };
const ticket = aTicket;

/** Walks a ticket through actions, each a day after the one before. */
function walk(start: Ticket, steps: Array<[Parameters<typeof applyAction>[1], UserRef]>): Ticket {
  return steps.reduce((tk, [action, actor], i) => applyAction(tk, action, actor, at(i + 1)), start);
}

describe('the lifecycle: new → triaged → in progress → waiting on requester → resolved → closed, plus reopen', () => {
  it('goes through every status in order', () => {
    const seen: string[] = [];
    let tk = ticket();
    seen.push(tk.status);
    for (const [action, actor] of [
      [{ kind: 'recategorize', category: 'network' }, bob],
      [{ kind: 'claim' }, bob],
      [{ kind: 'wait_on_requester' }, bob],
      [{ kind: 'requester_replied', text: 'it is the HP one' }, alice],
      [{ kind: 'resolve' }, bob],
      [{ kind: 'close' }, bob],
    ] as Array<[Parameters<typeof applyAction>[1], UserRef]>) {
      tk = applyAction(tk, action, actor, t0);
      seen.push(tk.status);
    }
    expect(seen).toEqual(['new', 'triaged', 'in_progress', 'waiting_on_requester', 'in_progress', 'resolved', 'closed']);
    expect(TICKET_STATUSES).toEqual(['new', 'triaged', 'in_progress', 'waiting_on_requester', 'resolved', 'closed']);
  });

  it('triaged: a confident classification (category and priority at or above the threshold) or a person', () => {
    expect(isConfidentTriage({ category: 'network', categoryConfidence: 0.85, priorityConfidence: 0.8 }, 0.8)).toBe(true);
    expect(isConfidentTriage({ category: 'network', categoryConfidence: 0.95, priorityConfidence: 0.6 }, 0.8)).toBe(false);
    expect(isConfidentTriage({ category: 'network', categoryConfidence: 0.5, priorityConfidence: 0.9 }, 0.8)).toBe(false);
    // A ticket stored before triaged existed stays new, and an agent works it exactly as before.
    expect(applyAction(ticket({ status: 'new' }), { kind: 'claim' }, bob, t0).status).toBe('in_progress');
    expect(applyAction(ticket({ status: 'triaged' }), { kind: 'claim' }, bob, t0).status).toBe('in_progress');
    expect(applyAction(ticket({ status: 'triaged' }), { kind: 'assign', assignee: bob }, bob, t0).status).toBe('in_progress');
  });

  it('a resolved ticket closes itself after the configured days (default 7), with a moved clock; an open one never does', () => {
    const resolved = walk(ticket(), [
      [{ kind: 'claim' }, bob],
      [{ kind: 'resolve' }, bob],
    ]); // resolved on day 2
    expect(autoCloseAt(resolved)).toEqual(at(9));
    expect(autoCloseDue(resolved, at(8.99))).toBe(false);
    expect(autoCloseDue(resolved, at(9))).toBe(true);
    expect(autoCloseDue(resolved, at(3), 1)).toBe(true);
    expect(autoCloseDue(walk(ticket(), [[{ kind: 'claim' }, bob]]), at(100))).toBe(false);
    const closed = applyAction(resolved, { kind: 'auto_close' }, SYSTEM_ACTOR, at(9));
    expect(closed).toMatchObject({ status: 'closed', closedAt: at(9) });
    expect(closed.activity.at(-1)).toMatchObject({ action: 'auto_closed', from: 'resolved', to: 'closed', actor: { id: 'chatdesk' } });
    expect(autoCloseDue(closed, at(20))).toBe(false);
  });

  it('within the reopen window the requester reopens (back to its agent); after close they cannot, only a linked follow-up is recorded', () => {
    const resolved = walk(ticket(), [
      [{ kind: 'claim' }, bob],
      [{ kind: 'resolve' }, bob],
    ]);
    const reopened = applyAction(resolved, { kind: 'reopen' }, alice, at(5));
    expect(reopened).toMatchObject({ status: 'in_progress', resolvedAt: undefined });
    expect(autoCloseDue(reopened, at(30))).toBe(false);
    // Unassigned and triaged before: back to triaged.
    const unassigned = walk(ticket({ status: 'triaged', activity: [{ at: t0, action: 'triaged', actor: SYSTEM_ACTOR }] }), [[{ kind: 'resolve' }, alice]]);
    expect(applyAction(unassigned, { kind: 'reopen' }, alice, at(3)).status).toBe('triaged');

    const closed = applyAction(resolved, { kind: 'auto_close' }, SYSTEM_ACTOR, at(9));
    try {
      applyAction(closed, { kind: 'reopen' }, alice, at(10));
      throw new Error('expected a refusal');
    } catch (err) {
      expect(isChatdeskError(err, 'chatdesk_transition_illegal')).toBe(true);
    }
    const linked = applyAction(closed, { kind: 'link_follow_up', to: 'T-1042' }, alice, at(10));
    expect(linked).toMatchObject({ status: 'closed', closedAt: at(9) });
    expect(linked.activity.at(-1)).toMatchObject({ action: 'follow_up_linked', to: 'T-1042', actor: alice });
  });

  it('a note is its own activity type: no status change, no first response, allowed on a closed ticket too', () => {
    const noted = applyAction(ticket(), { kind: 'note', text: 'caller is the CFO, be quick' }, bob, t0);
    expect(noted).toMatchObject({ status: 'new', version: 2 });
    expect(noted.firstResponseAt).toBeUndefined();
    expect(noted.activity).toEqual([{ at: t0, action: 'note', actor: bob, note: 'caller is the CFO, be quick' }]);
    expect(applyAction(ticket({ status: 'closed' }), { kind: 'note', text: 'post-mortem: bad toner batch' }, bob, t0).activity.at(-1)?.action).toBe('note');
  });

  it('/ticket show: agents see notes marked internal; the requester sees the public history only', () => {
    const desk = deskConfigSchema.parse(defaultDeskConfig);
    const tk = walk(ticket(), [
      [{ kind: 'claim' }, bob],
      [{ kind: 'note', text: 'SECRET-NOTE password reset by phone' }, bob],
      [{ kind: 'reply', text: 'Try the other tray' }, bob],
    ]);
    const refused = { ...tk, activity: [...tk.activity, { at: at(4), action: 'refused' as const, actor: alice, to: 'claim', note: 'not_team_agent' }] };
    const agent = ticketHistory(refused, 'agent', desk, 'en').text;
    const requester = ticketHistory(refused, 'requester', desk, 'en').text;
    expect(agent).toContain('T-1001 · Printer jammed');
    expect(agent).toMatch(/note 🔒 internal · bob: SECRET-NOTE password reset by phone/);
    expect(agent).toContain('refused');
    expect(requester).not.toContain('SECRET-NOTE');
    expect(requester).not.toContain('note');
    expect(requester).not.toContain('refused');
    expect(requester).toContain('claimed · bob');
    expect(requester).toContain('agent replied · bob: Try the other tray');
  });
});
