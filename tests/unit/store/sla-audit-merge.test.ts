import type { ActivityEntry, Ticket } from '../../../src/domain/ticket/ticket';
import { mergeAudit } from '../../../src/store/sla-audit';
import type { SlaAuditRecord } from '../../../src/store/sla.model';

const at = (min: number) => new Date(Date.UTC(2026, 10, 23, 9, min));
const system = { platform: 'system', id: 'chatdesk' };
const entry = (min: number, action: string, to?: string, note?: string): ActivityEntry =>
  ({ at: at(min), action, actor: system, ...(to ? { to } : {}), ...(note ? { note } : {}) }) as ActivityEntry;
const row = (n: number, pos: number, e: ActivityEntry): SlaAuditRecord => ({ _id: `t1#${n}`, ticketId: 't1', key: `k${n}`, pos, entry: e as SlaAuditRecord['entry'] });
const ticket = (activity: ActivityEntry[]) => ({ id: 't1', activity }) as unknown as Ticket;
const trail = (tk: Ticket) => tk.activity.map((a) => `${a.action}${a.to ? ` ${a.to}` : ''}`);

describe('mergeAudit: the SLA audit rows in the ticket trail', () => {
  it('leaves a ticket without rows untouched', () => {
    const tk = ticket([entry(0, 'created')]);
    expect(mergeAudit(tk, [])).toBe(tk);
  });

  it('places each row after the entries the ticket held when it was sent, even at the same instant', () => {
    const tk = ticket([entry(0, 'created'), entry(0, 'classified'), entry(8, 'claimed', 'playground:bob'), entry(61, 'sla_acknowledged')]);
    const merged = mergeAudit(tk, [
      row(0, 2, entry(8, 'sla_reminder', 'agent_channel', 'first_response 75%')),
      row(1, 3, entry(61, 'escalation_notified', 'playground:lead', 'resolution level 1')),
      row(2, 3, entry(61, 'sla_reminder', 'playground:bob', 'resolution 100%')),
    ]);
    expect(trail(merged)).toEqual([
      'created',
      'classified',
      'sla_reminder agent_channel',
      'claimed playground:bob',
      'escalation_notified playground:lead',
      'sla_reminder playground:bob',
      'sla_acknowledged',
    ]);
  });

  it('does not repeat rows a full save already copied into the ticket', () => {
    const ping = entry(8, 'sla_reminder', 'agent_channel', 'first_response 75%');
    const tk = ticket([entry(0, 'created'), { ...ping }, entry(9, 'claimed', 'playground:bob')]);
    const merged = mergeAudit(tk, [row(0, 1, ping), row(1, 3, entry(20, 'sla_reminder', 'playground:bob', 'resolution 75%'))]);
    expect(trail(merged)).toEqual(['created', 'sla_reminder agent_channel', 'claimed playground:bob', 'sla_reminder playground:bob']);
  });
});
