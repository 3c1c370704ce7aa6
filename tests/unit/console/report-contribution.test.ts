/**
 * What a ticket adds to the reports' summary for knowledge deflection and the
 * classifier's quality (src/console/report-contribution.ts).
 */
import { contributionOf } from '../../../src/console/report-contribution';
import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import { deskConfigSchema } from '../../../src/config/desk-config.schema';
import { loadSlaConfig } from '../../../src/config/sla-config';
import type { UserRef } from '../../../src/domain/ticket/ticket';
import { applyAction } from '../../../src/domain/ticket/transitions';
import { aTicket, TICKET_T0 } from '../../support/ticket-factory';

const sla = loadSlaConfig(deskConfigSchema.parse(defaultDeskConfig));
const bob: UserRef = { platform: 'slack', id: 'UBOB', name: 'bob' };
const later = (min: number) => new Date(TICKET_T0.getTime() + min * 60_000);
const day = '2026-11-20|it';
/** The contribution's counters of one section, `counter → amount`. */
const section = (c: Map<string, number>, name: string) =>
  Object.fromEntries([...c].filter(([k]) => k.startsWith(`${day}\tf.${name}.`)).map(([k, v]) => [k.slice(`${day}\tf.${name}.`.length), v]));

describe('report contribution: deflection and classifier quality', () => {
  it('a ticket solved by a knowledge answer at intake counts as deflected', () => {
    const solved = applyAction(aTicket(), { kind: 'deflect', entryId: 'k1' }, aTicket().requester, later(2));
    expect(section(contributionOf(solved, 'UTC', sla), 'all')).toMatchObject({ c: 1, df: 1 });
    expect(section(contributionOf(aTicket(), 'UTC', sla), 'all').df).toBeUndefined();
  });

  it('a ticket an agent moves counts against the category the classifier gave, and once however often it moves', () => {
    const moved = applyAction(aTicket(), { kind: 'recategorize', category: 'software' }, bob, later(5));
    const again = applyAction(moved, { kind: 'recategorize', category: 'network' }, bob, later(9));
    const c = contributionOf(again, 'UTC', sla);
    expect(section(c, 'classified~hardware')).toEqual({ c: 1, rc: 1 });
    expect(section(c, 'classified~network')).toEqual({});
    expect(section(c, 'all')).toMatchObject({ c: 1, rc: 1 });
    // Left where the classifier put it: counted as classified, not moved.
    expect(section(contributionOf(aTicket(), 'UTC', sla), 'classified~hardware')).toEqual({ c: 1 });
  });
});
