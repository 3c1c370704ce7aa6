/** The extractive hand-off summary: pure, deterministic, bounded; internal notes only in the agents' one. */
import { type SummaryAudience, summaryFacts } from '../../../../src/ai/summary/summary-facts';
import { extractiveSummary, MAX_SUMMARY_CHARS } from '../../../../src/ai/summary/summary-text';
import { startClock } from '../../../../src/domain/sla/clock';
import { validateSlaConfig } from '../../../../src/domain/sla/policy';
import type { Ticket, UserRef } from '../../../../src/domain/ticket/ticket';
import { applyAction, type TicketAction } from '../../../../src/domain/ticket/transitions';
import { aTicket, TICKET_T0 } from '../../../support/ticket-factory';
import { t } from '../../../../src/core/i18n';

const sla = validateSlaConfig({});
const alice: UserRef = { platform: 'slack', id: 'U_ALICE', name: 'alice' };
const bob: UserRef = { platform: 'slack', id: 'U_BOB', name: 'bob' };
const carol: UserRef = { platform: 'slack', id: 'U_CAROL', name: 'carol' };
const dave: UserRef = { platform: 'slack', id: 'U_DAVE', name: 'dave' };
const SECRET = 'SECRET-NOTE-4242';
const at = (min: number) => new Date(TICKET_T0.getTime() + min * 60_000);

/** `steps` applied in order, one minute-stamped action each, through the one transition function. */
function worked(start: Ticket, steps: Array<[number, TicketAction, UserRef]>): Ticket {
  return steps.reduce((t, [min, action, actor]) => applyAction(t, action, actor, at(min)), start);
}

const opened = () =>
  aTicket({
    title: 'VPN drops every few minutes',
    description: 'Since the update on Monday, on the office wifi and at home.',
    fields: { system: 'GlobalProtect' },
    sla: startClock(TICKET_T0, 'P2'),
    activity: [{ at: TICKET_T0, action: 'created', actor: alice }],
  });

/** Claimed by bob, answered, the requester wrote again, bob noted a secret, gave it to carol, carol escalated to dave. */
const handedOver = () =>
  worked(opened(), [
    [10, { kind: 'claim' }, bob],
    [20, { kind: 'reply', text: 'Which VPN client version do you have?' }, bob],
    [40, { kind: 'requester_replied', text: 'Version 6.1, and it drops on the wifi too' }, alice],
    [45, { kind: 'note', text: `${SECRET} the requester is on the VIP list` }, bob],
    [50, { kind: 'assign', assignee: carol }, bob],
    [55, { kind: 'escalate', to: dave }, carol],
  ]);

const summary = (ticket: Ticket, audience: SummaryAudience, nowMin = 120, locale: 'en' | 'zh' = 'en') =>
  extractiveSummary(summaryFacts(ticket, { audience, now: at(nowMin), locale, team: 'IT', statusLabel: t(locale, `status.${ticket.status}`), sla }));

describe('extractive hand-off summary', () => {
  it('gives the new owner what was asked, what was tried (notes included), who had it, how long it is open, the SLA and what is pending', () => {
    const text = summary(handedOver(), 'agent');
    const lines = text.split('\n');
    expect(lines[0]).toBe('📋 Hand-off summary of T-1001 "VPN drops every few minutes"');
    expect(lines[1]).toMatch(/^Open 2h · In progress · P1 · IT · requester alice · SLA resolution /);
    expect(text).toContain('Asked: VPN drops every few minutes — Since the update on Monday, on the office wifi and at home. (fields: system GlobalProtect)');
    expect(text).toContain('• alice wrote, 1h 20m ago: Version 6.1, and it drops on the wifi too');
    expect(text).toContain('• bob replied, 1h 40m ago: Which VPN client version do you have?');
    expect(text).toContain(`• 🔒 internal note by bob, 1h 15m ago: ${SECRET} the requester is on the VIP list`);
    expect(text).toContain(
      'bob claimed it (1h 50m ago); bob assigned it to carol (1h 10m ago); carol escalated it to P1 (1h 5m ago); carol asked U_DAVE to step in',
    );
    expect(text).toContain('• Owners: bob → carol');
    expect(text).toContain('Pending:\n  • The requester\'s last message has no answer yet: "Version 6.1, and it drops on the wifi too"');
    expect(text).toContain('• Escalated (level 1), not acknowledged yet.');
    expect(text.split('\n').at(-1)).toBe("(Extracted from the ticket's conversation. All of it: /ticket show T-1001)");
  });

  it('the requester-facing summary never carries an internal note, a resolution note, an escalation contact or the SLA', () => {
    const resolved = worked(handedOver(), [[70, { kind: 'resolve', note: `Reinstalled the client.\ninternal: ${SECRET} used the admin bypass` }, carol]]);
    for (const ticket of [handedOver(), resolved]) {
      const text = summary(ticket, 'requester');
      expect(text).not.toContain(SECRET);
      expect(text).not.toMatch(/internal|VIP|admin bypass|dave|SLA|Escalated \(level/);
      expect(text).toContain('Which VPN client version do you have?');
    }
    // The agents' own summary of the resolved ticket has the resolution note.
    expect(summary(resolved, 'agent')).toContain('carol resolved it, 50m ago: Reinstalled the client.');
    expect(summary(resolved, 'agent')).toContain('Nothing unless the requester reopens it: it is resolved.');
  });

  it('is deterministic: the same ticket and `now` give the same text; a later `now` moves only the times', () => {
    expect(summary(handedOver(), 'agent')).toBe(summary(handedOver(), 'agent'));
    const later = summary(handedOver(), 'agent', 180);
    expect(later).toContain('Open 3h');
    expect(later).toContain('bob replied, 2h 40m ago');
  });

  it('a new ticket: nobody has replied, nobody owns it; waiting on the requester says so', () => {
    const fresh = summary(opened(), 'agent', 5);
    expect(fresh).toContain('Open 5m · New');
    expect(fresh).toContain('Tried:\n  • nothing yet');
    expect(fresh).toContain('• No agent has replied to the requester yet.');
    expect(fresh).toContain('• Nobody owns it.');
    const waiting = worked(opened(), [
      [10, { kind: 'claim' }, bob],
      [12, { kind: 'wait_on_requester' }, bob],
    ]);
    expect(summary(waiting, 'agent', 30)).toContain("• Waiting for the requester's answer (the SLA clock is paused).");
    expect(summary(waiting, 'agent', 30)).toContain('bob asked the requester for more');
  });

  it('a take-over reads as one, and its taker is the last owner', () => {
    const taken = worked(handedOver(), [[60, { kind: 'assign', assignee: dave }, dave]]);
    const text = summary(taken, 'agent');
    expect(text).toContain('dave took it over (1h ago)');
    expect(text).toContain('• Owners: bob → carol → dave');
  });

  it('says the SLA is breached when it is', () => {
    const text = summary(opened(), 'agent', 60 * 24 * 5);
    expect(text).toMatch(/• SLA (first response|resolution) breached .* ago\./);
  });

  it('in Chinese for a Chinese ticket', () => {
    const zh = worked(aTicket({ title: 'VPN 连不上', description: '错误 809', sla: startClock(TICKET_T0, 'P2') }), [
      [10, { kind: 'claim' }, bob],
      [30, { kind: 'assign', assignee: carol }, bob],
    ]);
    const text = summary(zh, 'agent', 90, 'zh');
    expect(text.split('\n')[0]).toBe('📋 交接摘要：T-1001「VPN 连不上」');
    expect(text).toContain('诉求：VPN 连不上 — 错误 809');
    expect(text).toContain('bob 指派给 carol (1小时前)');
    expect(text).toContain('待办：');
    expect(text).toContain('（摘自工单对话。完整记录：/工单 查看 T-1001）');
  });

  it('stays short however long the ticket: each message one capped line, the newest few, the whole at most MAX_SUMMARY_CHARS', () => {
    const steps: Array<[number, TicketAction, UserRef]> = [[1, { kind: 'claim' }, bob]];
    for (let i = 0; i < 60; i++) {
      steps.push([2 + i, { kind: 'reply', text: `Reply ${i}: ${'try this and that '.repeat(40)}` }, bob]);
      steps.push([2 + i, { kind: 'requester_replied', text: `Answer ${i}:\n${'still broken '.repeat(40)}` }, alice]);
    }
    const text = summary(worked(opened(), steps), 'agent', 200);
    expect(Array.from(text).length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(text).toContain('Reply 59');
    expect(text).not.toContain('Reply 50:');
    expect(text).toContain('All of it: /ticket show T-1001');
  });
});
