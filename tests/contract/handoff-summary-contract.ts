import type { Chatdesk } from '../../src/app';
import type { Ticket } from '../../src/domain/ticket/ticket';
import type { ContractDriver } from './contract-driver';

interface Helpers {
  app: () => Chatdesk;
  title: (what: string) => string;
  eventually: (assertion: () => Promise<void> | void, timeoutMs?: number) => Promise<void>;
  openAndClaim: (t: string) => Promise<Ticket>;
  /** The mark every internal note carries: the suite checks after each scenario that no requester or stranger received it. */
  noteMark: string;
}

/**
 * Hand-off summaries, the same on every messenger (offline here: the contract
 * desk has no LLM; tests/e2e/summary-flow.test.ts runs Slack with the LLM
 * emulator). Registered inside the adapter contract's describe.
 */
export function handoffSummaryContract(driver: ContractDriver, h: Helpers): void {
  it('hand-off summary: reassigned, the new owner gets one DM with what was asked, tried (the internal note too) and is pending; /ticket summary answers an agent privately and is refused to the requester and a stranger', async () => {
    const t = h.title('Docking station drops both external screens');
    const ticket = await h.openAndClaim(t);
    const note = `${h.noteMark} swap the dock for one from the spares shelf`;
    await driver.command(driver.agent, `reply ${ticket.key} Which dock model is it?`);
    await driver.command(driver.agent, `note ${ticket.key} ${note}`);
    await h.eventually(async () => {
      const stored = await h.app().desk.findTicket(ticket.id);
      expect(stored.activity.map((a) => a.action)).toEqual(expect.arrayContaining(['agent_replied', 'note']));
    });
    await driver.assign(driver.agent, ticket, driver.otherAgent);

    const header = `📋 Hand-off summary of ${ticket.key} "${t}"`;
    const summariesTo = async (who: typeof driver.agent) => (await driver.privateTexts(who)).filter((x) => x.includes(header));
    await h.eventually(async () => {
      expect((await h.app().desk.findTicket(ticket.id)).assignee?.id).toBe(driver.otherAgent.id);
      const [dm, ...more] = await summariesTo(driver.otherAgent);
      expect(more).toEqual([]);
      expect(dm).toContain(`Asked: ${t}`);
      expect(dm).toContain(`${driver.agent.name} replied`);
      expect(dm).toContain('Which dock model is it?');
      expect(dm).toContain(note);
      expect(dm).toContain(`${driver.agent.name} claimed it`);
      expect(dm).toContain(`Owners: ${driver.agent.name} → `);
      expect(dm).toContain('Pending:');
      expect(dm).toContain("(Extracted from the ticket's conversation.");
    });
    // The one who handed it over hears no summary of their own.
    expect(await summariesTo(driver.agent)).toEqual([]);

    await driver.command(driver.agent, `summary ${ticket.key}`);
    await driver.command(driver.stranger, `summary ${ticket.key}`);
    await driver.command(driver.requester, `summary ${ticket.key}`);
    const refusal = `Only IT agents can see the summary of ${ticket.key}.`;
    await h.eventually(async () => {
      const [asked] = await summariesTo(driver.agent);
      expect(asked).toContain(note);
      expect((await driver.privateTexts(driver.stranger)).filter((x) => x.includes(refusal))).toHaveLength(1);
      expect((await driver.privateTexts(driver.requester)).filter((x) => x.includes(refusal))).toHaveLength(1);
    });
    for (const who of [driver.stranger, driver.requester]) expect(await summariesTo(who)).toEqual([]);
    const stored = await h.app().desk.findTicket(ticket.id);
    expect(stored.activity.filter((a) => a.action === 'refused' && a.to === 'summary').map((a) => a.actor.id)).toEqual(
      expect.arrayContaining([driver.stranger.id, driver.requester.id]),
    );
    // One DM per hand-off: nothing more arrives once everything has been sent.
    await h.app().intake.idle();
    await h.app().desk.idle();
    await new Promise((r) => setTimeout(r, 300));
    expect(await summariesTo(driver.otherAgent)).toHaveLength(1);
  });
}
