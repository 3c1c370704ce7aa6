import type { TicketClassifier } from '../../src/ai/classifier.port';

/** A classifier fixed for a test: a title about a payslip is `hr` (the People team), anything else IT `hardware`; all P2, sure of it. */
export const payslipToHrClassifier: TicketClassifier = {
  classify: async ({ title }) => ({
    category: /payslip/i.test(title) ? 'hr' : 'hardware',
    categoryConfidence: 0.95,
    priority: 'P2',
    priorityConfidence: 0.95,
    reason: 'fixed for the test',
    source: 'offline',
  }),
};
