import type { Ticket } from '../../src/domain/ticket/ticket';

/** When the factory's tickets were opened. */
export const TICKET_T0 = new Date('2026-11-20T09:00:00Z');

/** A new, unassigned IT hardware ticket from Alice (T-1001), for pure domain tests; `over` changes any field. */
export const aTicket = (over: Partial<Ticket> = {}): Ticket => ({
  id: 'abc',
  number: 1001,
  key: 'T-1001',
  title: 'Printer jammed',
  description: '',
  type: 'incident',
  fields: {},
  requester: { platform: 'slack', id: 'U_ALICE', name: 'alice' },
  team: 'it',
  category: 'hardware',
  categoryConfidence: 0.9,
  priority: 'P2',
  priorityConfidence: 0.8,
  classificationReason: '',
  status: 'new',
  escalationLevel: 0,
  tags: [],
  agentCards: [],
  createdAt: TICKET_T0,
  updatedAt: TICKET_T0,
  activity: [],
  version: 1,
  ...over,
});
