import type { Chatdesk } from '../../src/app';
import { type Ticket, type UserRef, userKey } from '../../src/domain/ticket/ticket';
import { csatOf } from '../../src/domain/ticket/transitions';
import { waitFor } from '../emulators/shared';
import { type MatrixAction, PERMISSION_RULES, type Role } from '../support/permission-matrix';
import type { ContractDriver, PrivateCard } from './contract-driver';
import { handoffSummaryContract } from './handoff-summary-contract';
import { messageIntakeContract } from './message-intake-contract';

/** Polls an assertion block until it passes (or the last failure after `timeoutMs`). */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 8000): Promise<void> {
  await waitFor(
    async () => {
      await assertion();
      return true;
    },
    { timeoutMs, intervalMs: 25 },
  );
}

/**
 * The one contract every messenger adapter passes: the same scenarios, the same
 * expectations, driven through the real SDK and the platform's emulator.
 */
export function runAdapterContract(name: string, makeDriver: () => ContractDriver): void {
  describe(`${name} adapter contract`, () => {
    // Made here (drivers start nothing before start()), so scenarios can be skipped by capability.
    const driver: ContractDriver = makeDriver();
    let app: Chatdesk;
    let counter = 0;
    /** A unique title per test, so tickets never collide across scenarios. */
    const title = (what: string) => `${what} #${++counter}-${Date.now().toString(36)}`;

    async function ticketTitled(t: string): Promise<Ticket> {
      let found: Ticket | undefined;
      await eventually(async () => {
        const tickets = await app.store.tickets.list({ limit: 500 });
        found = tickets.find((x) => x.title === t);
        expect(found).toBeDefined();
        expect(found?.agentCards.length).toBe(1);
      });
      return found as Ticket;
    }

    /** The requester opens a ticket titled `t`; the agent claims it. */
    async function openAndClaim(t: string): Promise<Ticket> {
      await driver.command(driver.requester, t);
      const ticket = await ticketTitled(t);
      await driver.click(driver.agent, ticket, 'claim');
      await eventually(async () => {
        expect((await app.desk.findTicket(ticket.id)).assignee?.id).toBe(driver.agent.id);
      });
      return ticket;
    }

    async function countTitled(t: string): Promise<number> {
      const tickets = await app.store.tickets.list({ limit: 500 });
      return tickets.filter((x) => x.title === t).length;
    }

    beforeAll(async () => {
      app = await driver.start();
    }, 60_000);

    afterAll(async () => {
      await driver?.stop();
    });

    /** Every internal note a scenario adds carries this mark: nothing the requester receives may contain it. */
    const NOTE_MARK = 'INTERNAL-NOTE-7f3a';

    afterEach(async () => {
      expect(driver.schemaViolations()).toEqual([]);
      // The leak check, after every scenario: no message sent to a requester's conversation carries note text.
      for (const person of [driver.requester, driver.stranger]) {
        expect((await driver.privateTexts(person)).filter((x) => x.includes(NOTE_MARK))).toEqual([]);
        expect((await driver.privateCards(person)).filter((c) => c.text.includes(NOTE_MARK))).toEqual([]);
      }
    });

    it('opens a ticket from the quick command: one card in the agent channel, a confirmation to the requester', async () => {
      const t = title('VPN drops every few minutes');
      await driver.command(driver.requester, t);
      const ticket = await ticketTitled(t);
      expect(ticket.requester).toMatchObject({ platform: driver.platform, id: driver.requester.id });
      expect(ticket.agentCards[0]?.platform).toBe(driver.platform);
      await eventually(async () => {
        const cards = await driver.cards(ticket);
        expect(cards).toHaveLength(1);
        expect(cards[0]?.text).toContain(ticket.key);
        expect(cards[0]?.text).toContain(t);
        expect(cards[0]?.actions).toEqual(expect.arrayContaining(['claim', 'resolve', 'escalate']));
        expect((await driver.privateTexts(driver.requester)).join('\n')).toContain(ticket.key);
      });
    });

    it('claim updates the same card in place and tells the requester who is on it', async () => {
      const t = title('Printer on floor 3 jams');
      await driver.command(driver.requester, t);
      const ticket = await ticketTitled(t);
      const [before] = await driver.cards(ticket);
      await driver.click(driver.agent, ticket, 'claim');
      await eventually(async () => {
        const stored = await app.desk.findTicket(ticket.id);
        expect(stored.status).toBe('in_progress');
        expect(stored.assignee?.id).toBe(driver.agent.id);
        const cards = await driver.cards(ticket);
        expect(cards).toHaveLength(1);
        expect(cards[0]?.messageId).toBe(before?.messageId);
        expect(cards[0]?.actions).not.toContain('claim');
        expect(cards[0]?.text).toContain(driver.agent.name as string);
        const dm = (await driver.privateTexts(driver.requester)).join('\n');
        expect(dm).toContain(`${driver.agent.name} is working on your ticket ${ticket.key}`);
      });
    });

    it('of two simultaneous claims exactly one wins; the other agent is told who has it', async () => {
      const t = title('Laptop will not boot');
      await driver.command(driver.requester, t);
      const ticket = await ticketTitled(t);
      await Promise.all([driver.click(driver.agent, ticket, 'claim'), driver.click(driver.otherAgent, ticket, 'claim')]);
      await eventually(async () => {
        const stored = await app.desk.findTicket(ticket.id);
        expect(stored.status).toBe('in_progress');
        const winner = stored.assignee?.id === driver.agent.id ? driver.agent : driver.otherAgent;
        const loser = winner === driver.agent ? driver.otherAgent : driver.agent;
        expect(stored.activity.filter((a) => a.action === 'claimed')).toHaveLength(1);
        const loserSaw = (await driver.privateTexts(loser)).join('\n');
        expect(loserSaw).toContain(`${ticket.key} is already claimed by ${winner.name}`);
      });
    });

    it('assigns with the people picker, escalates, resolves; every step shows on the same card', async () => {
      const t = title('Shared drive is read-only');
      await driver.command(driver.requester, t);
      const ticket = await ticketTitled(t);
      await driver.assign(driver.agent, ticket, driver.otherAgent);
      await eventually(async () => {
        expect((await app.desk.findTicket(ticket.id)).assignee?.id).toBe(driver.otherAgent.id);
      });
      await driver.click(driver.otherAgent, ticket, 'escalate');
      let escalated: Ticket | undefined;
      await eventually(async () => {
        escalated = await app.desk.findTicket(ticket.id);
        expect(escalated.escalationLevel).toBe(1);
        const [card] = await driver.cards(ticket);
        expect(card?.text).toContain(escalated.priority);
      });
      await driver.click(driver.otherAgent, ticket, 'resolve');
      await eventually(async () => {
        const stored = await app.desk.findTicket(ticket.id);
        expect(stored.status).toBe('resolved');
        const cards = await driver.cards(ticket);
        expect(cards).toHaveLength(1);
        expect(cards[0]?.actions).toEqual(['reopen', 'close', 'note']);
        expect((await driver.privateTexts(driver.requester)).join('\n')).toContain(`Your ticket ${ticket.key} was resolved`);
      });
    });

    /** The requester opens a ticket titled `t`, an agent resolves it, the requester rates it 4 with the button in their thread. */
    async function resolvedAndRated(t: string): Promise<Ticket> {
      await driver.command(driver.requester, t);
      const ticket = await ticketTitled(t);
      await driver.click(driver.agent, ticket, 'resolve');
      let ask: PrivateCard | undefined;
      await eventually(async () => {
        ask = (await driver.privateCards(driver.requester)).find((c) => c.text.includes(ticket.key) && c.actions.includes('csat_4'));
        expect(ask?.actions).toEqual(['csat_1', 'csat_2', 'csat_3', 'csat_4', 'csat_5']);
        expect(ask?.text).toContain(`Your ticket ${ticket.key} was resolved`);
      });
      await driver.clickPrivate(driver.requester, ask!.messageId, 'csat_4');
      await eventually(async () => {
        expect(csatOf(await app.desk.findTicket(ticket.id))).toBe(4);
        const [card] = await driver.cards(ticket);
        expect(card?.text).toContain('4/5');
      });
      return ticket;
    }

    /** A press of a rating button (`csat_1` … or `csat_comment`) as a replayed or crafted click would come, whoever it is from. */
    const pressOnRating = (user: UserRef, ticket: Ticket, action: string) =>
      app.intake.submitAndWait(
        {
          id: `${driver.platform}:test:csat:${user.id}:${action}:${Date.now()}`,
          platform: driver.platform,
          user,
          locale: 'en',
          request: { kind: 'button', action, ticketId: ticket.id },
          reply: {},
        },
        5000,
      );

    it('CSAT: once resolved, the requester rates it with a button in their thread; the card shows it; once, and theirs alone', async () => {
      const ticket = await resolvedAndRated(title('Laptop fan is very loud'));
      // Rated once: a second rating (a replayed click) changes nothing; nobody else may rate it.
      await expect(pressOnRating(driver.requester, ticket, 'csat_1')).resolves.toMatchObject({ outcome: { status: 'refused' } });
      await expect(pressOnRating(driver.stranger, ticket, 'csat_2')).resolves.toMatchObject({ outcome: { status: 'refused' } });
      await app.intake.idle();
      const stored = await app.desk.findTicket(ticket.id);
      expect(stored.activity.filter((a) => a.action === 'rated').map((a) => a.to)).toEqual(['4']);
      // The comment can be typed too (where a form cannot open): /ticket comment KEY text, the requester's alone.
      await driver.command(driver.agent, `comment ${ticket.key} Typed by the agent`);
      await driver.command(driver.requester, `comment ${ticket.key} Typed, not in a form`);
      await eventually(async () => {
        const commented = (await app.desk.findTicket(ticket.id)).activity.filter((a) => a.action === 'csat_commented');
        expect(commented.map((a) => [a.actor.id, a.note])).toEqual([[driver.requester.id, 'Typed, not in a form']]);
        expect((await driver.privateTexts(driver.requester)).join('\n')).toContain(`Thank you: your comment on ${ticket.key} is recorded with your rating.`);
        expect((await driver.privateTexts(driver.agent)).join('\n')).toContain(`Only the person who raised ${ticket.key} can answer this.`);
      });
    });

    it('CSAT comment: after rating, "Add a comment" opens a form for the requester; the comment is stored and on the card; once, and theirs alone', async () => {
      const ticket = await resolvedAndRated(title('Projector remote is missing'));
      let offer: PrivateCard | undefined;
      await eventually(async () => {
        offer = (await driver.privateCards(driver.requester)).find((c) => c.text.includes(`You rated ${ticket.key} 4/5`) && c.actions.includes('csat_comment'));
        expect(offer?.actions).toEqual(['csat_comment']);
        expect(offer?.text).toContain('Anything to add?');
      });
      await driver.clickPrivate(driver.requester, offer!.messageId, 'csat_comment');
      await eventually(async () => {
        expect(await driver.textForms(driver.requester, ticket, 'csat_comment')).toBe(1);
      });
      // A blank comment is refused with the reason (in the form where the platform shows errors there), nothing stored.
      const inPlace = await driver.submitTextForm(driver.requester, ticket, 'csat_comment', '  ');
      await eventually(async () => {
        expect(inPlace ?? (await driver.privateTexts(driver.requester)).join('\n')).toContain('A comment needs some text');
      });
      // (A form card that became its outcome, as on Feishu, no longer counts as open: the requester presses again.)
      if ((await driver.textForms(driver.requester, ticket, 'csat_comment')) === 0)
        await driver.clickPrivate(driver.requester, offer!.messageId, 'csat_comment');
      // Untrusted text: stored as typed (trimmed), escaped wherever it is shown.
      const comment = 'Fixed in minutes <b>thanks</b> & @here';
      await driver.submitTextForm(driver.requester, ticket, 'csat_comment', comment);
      await eventually(async () => {
        const stored = await app.desk.findTicket(ticket.id);
        expect(stored.activity.filter((a) => a.action === 'csat_commented').map((a) => [a.actor.id, a.to, a.note])).toEqual([
          [driver.requester.id, '4', comment],
        ]);
        const [card] = await driver.cards(ticket);
        expect(card?.text).toContain('Fixed in minutes');
        expect((await driver.privateTexts(driver.requester)).join('\n')).toContain(`Thank you: your comment on ${ticket.key} is recorded with your rating.`);
      });

      // Once: pressed again, no form opens and the requester is told why; a submission sent all the same is refused.
      const forms = await driver.textForms(driver.requester, ticket, 'csat_comment');
      const already = `You already commented on your rating of ${ticket.key}`;
      await driver.clickPrivate(driver.requester, offer!.messageId, 'csat_comment');
      await eventually(async () => {
        expect((await driver.privateTexts(driver.requester)).filter((x) => x.includes(already)).length).toBe(1);
      });
      expect(await driver.textForms(driver.requester, ticket, 'csat_comment')).toBe(forms);
      await driver.submitTextForm(driver.requester, ticket, 'csat_comment', 'Second thoughts');
      await eventually(async () => {
        expect((await driver.privateTexts(driver.requester)).filter((x) => x.includes(already)).length).toBe(2);
      });
      // Theirs alone: anyone else's press and crafted submission are refused (not even an agent of the team may comment for them).
      await expect(pressOnRating(driver.agent, ticket, 'csat_comment')).resolves.toMatchObject({ outcome: { status: 'refused' } });
      await driver.submitTextForm(driver.stranger, ticket, 'csat_comment', 'crafted by a stranger');
      await eventually(async () => {
        expect((await driver.privateTexts(driver.stranger)).join('\n')).toContain(`Only the person who raised ${ticket.key} can answer this.`);
      });
      await app.intake.idle();
      const after = await app.desk.findTicket(ticket.id);
      expect(after.activity.filter((a) => a.action === 'csat_commented').map((a) => a.note)).toEqual([comment]);
      expect(after.activity.filter((a) => a.action === 'refused' && a.to === 'rate').map((a) => a.actor.id)).toEqual([driver.agent.id, driver.stranger.id]);
    });

    // Only where the platform delivers the requester's own messages to the bot (not Discord over HTTP interactions only).
    const requesterMessages = driver.replyInThread ? it : it.skip;
    requesterMessages(
      'waiting on the requester pauses the clock; their reply in the ticket thread resumes it and is recorded, without a new ticket',
      async () => {
        const ticketsOfRequester = async () =>
          (await app.store.tickets.list({ requester: { platform: driver.platform, id: driver.requester.id }, limit: 500 })).length;
        /** The requester opens a ticket with the quick command; an agent claims it, then clicks `wait`. */
        const openAndWait = async (what: string): Promise<Ticket> => {
          const t = title(what);
          await driver.command(driver.requester, t);
          const opened = await ticketTitled(t);
          await driver.click(driver.agent, opened, 'claim');
          await eventually(async () => {
            expect((await app.desk.findTicket(opened.id)).status).toBe('in_progress');
            const cards = await driver.cards(opened);
            expect(cards).toHaveLength(1);
            expect(cards[0]?.actions).toContain('wait');
          });
          await driver.click(driver.agent, opened, 'wait');
          await eventually(async () => {
            const stored = await app.desk.findTicket(opened.id);
            expect(stored.status).toBe('waiting_on_requester');
            expect(stored.sla?.pausedAt).toBeDefined();
            const cards = await driver.cards(opened);
            expect(cards).toHaveLength(1);
            expect(cards[0]?.actions).not.toContain('wait');
            expect((await driver.privateTexts(driver.requester)).join('\n')).toContain(`needs more information on ${opened.key}`);
          });
          return app.desk.findTicket(opened.id);
        };
        // Two tickets wait on the requester and the text names neither: only the thread tells which one it answers.
        const other = await openAndWait('Badge does not open the garage');
        const waiting = await openAndWait('Cannot sign in to the expense tool');

        const before = await ticketsOfRequester();
        const text = 'It fails on the office wifi too, since the password change on Monday';
        await driver.replyInThread!(driver.requester, waiting, text);
        await eventually(async () => {
          const stored = await app.desk.findTicket(waiting.id);
          expect(stored.status).toBe('in_progress');
          expect(stored.activity).toContainEqual(
            expect.objectContaining({ action: 'requester_replied', from: 'waiting_on_requester', to: 'in_progress', note: text }),
          );
          expect(stored.sla?.pausedAt).toBeUndefined();
          expect((await driver.privateTexts(driver.requester)).join('\n')).toContain(`Added to ${waiting.key}. The team sees it.`);
        });
        await new Promise((r) => setTimeout(r, 300));
        expect(await ticketsOfRequester()).toBe(before);
        const untouched = await app.desk.findTicket(other.id);
        expect(untouched.status).toBe('waiting_on_requester');
        expect(untouched.activity.map((a) => a.action)).not.toContain('requester_replied');
      },
    );

    const directMessages = driver.directMessage ? it : it.skip;
    directMessages('a DM that answers no ticket is offered as one; its author opens it with one click, and a second click opens nothing more', async () => {
      const person = driver.lead;
      const mine = async () => app.store.tickets.list({ requester: { platform: driver.platform, id: person.id }, limit: 500 });
      expect((await mine()).filter((x) => ['new', 'in_progress', 'waiting_on_requester'].includes(x.status))).toEqual([]); // nothing the DM could answer
      const text = `The projector in room ${driver.platform.length + 7} shows no picture at all`;
      await driver.directMessage!(person, text);
      let offer: PrivateCard | undefined;
      await eventually(async () => {
        offer = (await driver.privateCards(person)).find((c) => c.actions.includes('open_from_message'));
        expect(offer?.text).toContain(text);
      });
      expect(await mine()).toEqual([]); // offered, not opened
      await driver.clickPrivate(person, offer!.messageId, 'open_from_message');
      let opened: Ticket | undefined;
      await eventually(async () => {
        opened = (await mine()).find((x) => x.title === text);
        expect(opened?.agentCards.length).toBeGreaterThan(0);
        expect(await driver.cards(opened!)).toHaveLength(1);
      });
      // The same click again (where the platform still shows the button, or replays the click) opens the same ticket, not a second one.
      const value = `msg~${opened!.intakeId}`;
      const click = (user: UserRef, n: number) =>
        app.intake.submitAndWait(
          {
            id: `${driver.platform}:test:${n}:${Date.now()}`,
            platform: driver.platform,
            user,
            locale: 'en',
            request: { kind: 'button', action: 'open_from_message', ticketId: value },
            reply: {},
          },
          5000,
        );
      await expect(click(person, 1)).resolves.toMatchObject({ outcome: { status: 'created', ticket: { key: opened!.key } } });
      await app.intake.idle();
      expect((await mine()).filter((x) => x.title === text)).toHaveLength(1);
      // Nobody else can open it from someone's message (the value names the message, not a ticket).
      await expect(click(driver.stranger, 2)).resolves.toMatchObject({
        outcome: { status: 'refused', message: { text: 'Only the person who wrote this message can open a ticket from it.' } },
      });
    });

    it('the form refuses a missing required field with the field error and stores nothing', async () => {
      const t = title('Access to the finance share');
      const errors = await driver.submitForm(driver.requester, { type: 'access', title: t, fields: {} });
      expect(Object.keys(errors)).toContain('system');
      expect(await countTitled(t)).toBe(0);
    });

    it('the form creates a ticket of the chosen type with its fields', async () => {
      const t = title('Access to the finance share');
      const errors = await driver.submitForm(driver.requester, { type: 'access', title: t, description: 'For the audit', fields: { system: 'finance-share' } });
      expect(errors).toEqual({});
      const ticket = await ticketTitled(t);
      expect(ticket.type).toBe('access');
      expect(ticket.fields.system).toBe('finance-share');
    });

    // Only where inbound requests are signed; the playground has no signed inbound (skipped, not passed).
    const signedInbound = driver.forged ? it : it.skip;
    signedInbound.each(['unsigned', 'tampered', 'stale', 'wrong-key'] as const)('a %s request is rejected and nothing is stored', async (kind) => {
      const t = title(`Forged ${kind}`);
      const status = await driver.forged!(kind, driver.requester, t);
      expect([401, 403]).toContain(status);
      await new Promise((r) => setTimeout(r, 300));
      expect(await countTitled(t)).toBe(0);
    });

    it('a request delivered twice makes one ticket', async () => {
      const t = title('Wifi in meeting room B');
      await driver.deliverTwice(driver.requester, t);
      await ticketTitled(t);
      await new Promise((r) => setTimeout(r, 500));
      expect(await countTitled(t)).toBe(1);
    });

    it('a 429 from the platform delays the card; it is not lost and not doubled', async () => {
      const t = title('Outlook keeps asking for a password');
      driver.throttleNextPost();
      await driver.command(driver.requester, t);
      const ticket = await ticketTitled(t);
      await eventually(async () => {
        expect(await driver.cards(ticket)).toHaveLength(1);
      });
    });

    it('Escalate on the card DMs the team lead the ticket with Acknowledge, Take over and an Open ticket link to its card', async () => {
      const t = title('Payroll export fails for the whole team');
      await driver.command(driver.requester, t);
      const ticket = await ticketTitled(t);
      await driver.click(driver.agent, ticket, 'escalate');
      const link = await driver.expectedCardLink(ticket);
      let dm: PrivateCard | undefined;
      await eventually(async () => {
        const stored = await app.desk.findTicket(ticket.id);
        expect(stored.escalationLevel).toBe(1);
        expect(stored.activity).toContainEqual(expect.objectContaining({ action: 'escalation_notified', to: userKey(driver.lead) }));
        dm = (await driver.privateCards(driver.lead)).find((c) => c.text.includes(ticket.key));
        expect(dm?.text).toContain(`${driver.agent.name} escalated ${ticket.key}`);
        expect(dm?.actions).toEqual(expect.arrayContaining(['acknowledge', 'take_over']));
        expect(dm?.links).toEqual([{ label: 'Open ticket', url: link }]);
        // The clicker hears who was asked to step in (by name, or by id when the desk file names them only by id).
        const told = (await driver.privateTexts(driver.agent)).join('\n');
        expect(
          [driver.lead.name, driver.lead.id].some((who) => told.includes(`Escalated ${ticket.key} to ${stored.priority} and asked ${who} to step in.`)),
        ).toBe(true);
      });

      if (driver.followLink) {
        // The hand-off summary that follows the escalation DM may land meanwhile (outbox): it is not an answer to the link.
        const answers = async () => (await driver.privateTexts(driver.lead)).filter((x) => !x.startsWith('📋 Hand-off summary'));
        const before = await answers();
        await driver.followLink(driver.lead, dm!.messageId, 'Open ticket');
        await new Promise((r) => setTimeout(r, 300));
        expect(await answers()).toEqual(before); // acknowledged, nothing answered
      }

      await driver.clickPrivate(driver.lead, dm!.messageId, 'acknowledge');
      await eventually(async () => {
        const stored = await app.desk.findTicket(ticket.id);
        expect(stored.activity).toContainEqual(expect.objectContaining({ action: 'sla_acknowledged', actor: expect.objectContaining({ id: driver.lead.id }) }));
        expect((await driver.privateTexts(driver.lead)).join('\n')).toContain(`Acknowledged: no further escalation levels for ${ticket.key}.`);
      });

      // The lead is the whole chain: their own Escalate raises the priority and says that no one else was told.
      await driver.click(driver.lead, ticket, 'escalate');
      await eventually(async () => {
        const stored = await app.desk.findTicket(ticket.id);
        expect(stored.escalationLevel).toBe(2);
        expect((await driver.privateTexts(driver.lead)).join('\n')).toContain(`Escalated ${ticket.key} to ${stored.priority}. No one else was told`);
      });
    });

    it('an agent resolves with a note (/ticket resolve KEY note): the note is the resolution and becomes the knowledge answer, internal lines left out', async () => {
      const t = title('Toner warning on the 2nd floor printer');
      const ticket = await openAndClaim(t);
      await driver.command(
        driver.agent,
        `resolve ${ticket.key} Replaced the toner cartridge; the warning is gone.\ninternal: took the last spare from the cupboard`,
      );
      await eventually(async () => {
        const stored = await app.desk.findTicket(ticket.id);
        expect(stored.status).toBe('resolved');
        expect(stored.activity.findLast((a) => a.action === 'resolved')?.note).toContain('Replaced the toner cartridge');
        expect((await driver.privateTexts(driver.agent)).join('\n')).toContain(`Resolved ${ticket.key}. Your note is its resolution`);
        expect((await driver.privateTexts(driver.requester)).join('\n')).toContain(`Your ticket ${ticket.key} was resolved`);
      });
      // The entry is drafted by an outbox job after the resolve.
      await eventually(async () => {
        const entryId = (await app.desk.findTicket(ticket.id)).assist?.knowledge?.entryId;
        const entry = entryId ? await app.desk.knowledge.get(entryId) : null;
        expect(entry?.answer).toBe('Replaced the toner cartridge; the warning is gone.');
      });
    });

    it('internal notes: an agent adds one with /ticket note; it shows under the card marked internal; a stranger is refused; /ticket show gives agents the note, the requester the public history', async () => {
      const t = title('Laptop fan is very loud');
      const ticket = await openAndClaim(t);
      const note = `${NOTE_MARK} requester is on the VIP list, swap the whole laptop`;
      await driver.command(driver.agent, `note ${ticket.key} ${note}`);
      await eventually(async () => {
        expect((await driver.privateTexts(driver.agent)).join('\n')).toContain(`Internal note added to ${ticket.key}. Only agents see it.`);
        expect((await driver.cardThread(ticket)).join('\n')).toContain(`Internal note on ${ticket.key} by ${driver.agent.name}: ${note}`);
      });
      const stored = await app.desk.findTicket(ticket.id);
      expect(stored.activity.filter((a) => a.action === 'note').map((a) => [a.actor.id, a.note])).toEqual([[driver.agent.id, note]]);
      expect(stored.status).toBe('in_progress'); // a note changes nothing else

      // A stranger may not add a note; the attempt is recorded, nothing else.
      await driver.command(driver.stranger, `note ${ticket.key} ${NOTE_MARK} spam`);
      await eventually(async () => {
        expect((await driver.privateTexts(driver.stranger)).filter((x) => x.includes(`Only IT agents can add notes to ${ticket.key}.`)).length).toBe(1);
      });
      const after = await app.desk.findTicket(ticket.id);
      expect(after.activity.filter((a) => a.action === 'note')).toHaveLength(1);
      expect(after.activity.filter((a) => a.action === 'refused' && a.to === 'note' && a.actor.id === driver.stranger.id)).toHaveLength(1);

      // /ticket show: the agent sees the note, the requester the public history, a stranger is refused.
      await driver.command(driver.agent, `show ${ticket.key}`);
      await driver.command(driver.requester, `show ${ticket.key}`);
      await driver.command(driver.stranger, `show ${ticket.key}`);
      await eventually(async () => {
        const agentView = (await driver.privateTexts(driver.agent)).find((x) => x.includes(`${ticket.key} · ${t}`) && x.includes('History'));
        expect(agentView).toContain(note);
        expect(agentView).toContain('internal');
        const requesterView = (await driver.privateTexts(driver.requester)).find((x) => x.includes(`${ticket.key} · ${t}`) && x.includes('History'));
        expect(requesterView).toContain('claimed');
        expect(requesterView).not.toContain('note');
        expect((await driver.privateTexts(driver.stranger)).join('\n')).toContain(`Only the requester of ${ticket.key} or IT agents can see it.`);
      });
    });

    it('the Note button opens the note form for an agent; the note submitted is stored, shown under the card marked internal, never to the requester; a stranger gets no form and their submission is refused', async () => {
      const t = title('Keyboard types every letter twice');
      const ticket = await openAndClaim(t);
      const requesterSaw = (await driver.privateTexts(driver.requester)).length;
      await driver.click(driver.agent, ticket, 'note');
      await eventually(async () => {
        expect(await driver.textForms(driver.agent, ticket, 'note')).toBe(1);
      });
      const note = `${NOTE_MARK} spare keyboards are in the cupboard by the lifts`;
      await driver.submitTextForm(driver.agent, ticket, 'note', note);
      await eventually(async () => {
        const stored = await app.desk.findTicket(ticket.id);
        expect(stored.activity.filter((a) => a.action === 'note').map((a) => [a.actor.id, a.note])).toEqual([[driver.agent.id, note]]);
        expect((await driver.cardThread(ticket)).join('\n')).toContain(`Internal note on ${ticket.key} by ${driver.agent.name}: ${note}`);
        expect((await driver.privateTexts(driver.agent)).join('\n')).toContain(`Internal note added to ${ticket.key}. Only agents see it.`);
      });
      expect((await app.desk.findTicket(ticket.id)).status).toBe('in_progress'); // a note changes nothing else

      // An empty note is refused with the reason (in the form where the platform shows errors there), nothing added.
      // (A form card that became its outcome, as on Feishu, no longer counts as open.)
      const open = await driver.textForms(driver.agent, ticket, 'note');
      await driver.click(driver.agent, ticket, 'note');
      await eventually(async () => {
        expect(await driver.textForms(driver.agent, ticket, 'note')).toBe(open + 1);
      });
      const inPlace = await driver.submitTextForm(driver.agent, ticket, 'note', '   ');
      await eventually(async () => {
        expect(inPlace ?? (await driver.privateTexts(driver.agent)).join('\n')).toContain('A note needs some text');
      });
      expect((await app.desk.findTicket(ticket.id)).activity.filter((a) => a.action === 'note')).toHaveLength(1);

      // A stranger's Note opens nothing and is refused privately; a submission sent all the same is refused too.
      await driver.click(driver.stranger, ticket, 'note');
      const refusal = `Only IT agents can add notes to ${ticket.key}.`;
      await eventually(async () => {
        expect((await driver.privateTexts(driver.stranger)).filter((x) => x.includes(refusal)).length).toBe(1);
      });
      expect(await driver.textForms(driver.stranger, ticket, 'note')).toBe(0);
      await driver.submitTextForm(driver.stranger, ticket, 'note', `${NOTE_MARK} crafted by a stranger`);
      await eventually(async () => {
        expect((await driver.privateTexts(driver.stranger)).filter((x) => x.includes(refusal)).length).toBe(2);
      });
      await app.intake.idle();
      const after = await app.desk.findTicket(ticket.id);
      expect(after.activity.filter((a) => a.action === 'note')).toHaveLength(1);
      expect(after.activity.filter((a) => a.action === 'refused' && a.to === 'note' && a.actor.id === driver.stranger.id)).toHaveLength(2);
      // The requester heard nothing of any of it (the leak check after each scenario also looks at everything they received).
      expect(
        (await driver.privateTexts(driver.requester)).slice(requesterSaw).filter((x) => x.includes(NOTE_MARK) || /internal note|note form/i.test(x)),
      ).toEqual([]);
    });

    /** The people of every driver stand for these roles of the matrix (the others are covered by the unit test and the permissions flow). */
    const ROLE_PEOPLE: Partial<Record<Role, UserRef>> = {
      requester: driver.requester,
      stranger: driver.stranger,
      agent: driver.agent,
      groupAgent: driver.otherAgent,
      deskManager: driver.lead,
    };
    /** The matrix's actions as a person asks them on a messenger, how one sees it was done, and what a refusal says. */
    interface Exercise {
      attempt(who: UserRef, ticket: Ticket, mark: string): Promise<void>;
      /** Whether `who` did it (from the ticket before and after). */
      done(before: Ticket, after: Ticket, who: UserRef, mark: string): boolean;
      says(key: string, role: Role): string;
      /** Done once, the ticket no longer takes it from anyone (a second claim is "already claimed"): each allowed row gets its own ticket. */
      once?: boolean;
    }
    const by = (before: Ticket, after: Ticket, who: UserRef, action: string) =>
      after.activity.slice(before.activity.length).some((a) => a.action === action && a.actor.id === who.id);
    /** The other IT agent than the ticket's assignee: assigning them always changes something. */
    const otherThanAssignee = (ticket: Ticket) => (ticket.assignee?.id === driver.agent.id ? driver.otherAgent : driver.agent);
    const agentRole = (role: Role) => role === 'agent' || role === 'groupAgent';
    const EXERCISED: Partial<Record<MatrixAction, Exercise>> = {
      claim: {
        attempt: (who, tk) => driver.click(who, tk, 'claim'),
        done: (b, a, who) => by(b, a, who, 'claimed'),
        says: (k) => `Only IT agents can claim ${k}.`,
        once: true,
      },
      resolve: {
        attempt: (who, tk) => driver.click(who, tk, 'resolve'),
        done: (b, a, who) => by(b, a, who, 'resolved') && a.status === 'resolved',
        says: (k) => `Only the requester of ${k} or IT agents can resolve it.`,
        once: true,
      },
      escalate: {
        attempt: (who, tk) => driver.click(who, tk, 'escalate'),
        done: (b, a, who) => by(b, a, who, 'escalated'),
        says: (k) => `Only IT agents can escalate ${k}.`,
      },
      assign: {
        attempt: (who, tk) => driver.assign(who, tk, otherThanAssignee(tk)),
        done: (b, a, who) => by(b, a, who, 'assigned') && a.assignee?.id === otherThanAssignee(b).id,
        says: (k) => `Only IT agents can assign ${k}.`,
      },
      assign_outside_team: {
        attempt: (who, tk) => driver.assign(who, tk, driver.stranger),
        done: (b, a, who) => by(b, a, who, 'assigned') && a.assignee?.id === driver.stranger.id,
        says: (k, role) =>
          agentRole(role) ? `Only a manager can assign ${k} to ${driver.stranger.name}, who is not an agent of IT.` : `Only IT agents can assign ${k}.`,
        once: true,
      },
      reply: {
        attempt: (who, tk, mark) => driver.command(who, `reply ${tk.key} Which model is it? ${mark}`),
        done: (b, a, who, mark) =>
          a.activity.slice(b.activity.length).some((x) => x.action === 'agent_replied' && x.actor.id === who.id && !!x.note?.includes(mark)),
        says: (k) => `Only IT agents can reply to ${k}.`,
      },
      recategorize: {
        attempt: (who, tk) => driver.command(who, `category ${tk.key} ${['hardware', 'software', 'network'].find((c) => c !== tk.category)}`),
        done: (b, a, who) => by(b, a, who, 'recategorized'),
        says: (k) => `Only IT agents can recategorise ${k}.`,
      },
      tag: {
        attempt: (who, tk, mark) => driver.command(who, `tag ${tk.key} ${mark}`),
        done: (b, a, _who, mark) => a.tags.includes(mark) && !b.tags.includes(mark),
        says: (k) => `Only IT agents can tag ${k}.`,
      },
      note: {
        attempt: (who, tk, mark) => driver.command(who, `note ${tk.key} ${NOTE_MARK} ${mark}`),
        done: (b, a, who) => by(b, a, who, 'note'),
        says: (k) => `Only IT agents can add notes to ${k}.`,
      },
    };
    const exercisedRows = PERMISSION_RULES.filter((r) => EXERCISED[r.action] && ROLE_PEOPLE[r.role]);

    it(`who may do what: the permission matrix on this messenger (${exercisedRows.length} rows: requester, stranger, agent, group agent, manager × ${Object.keys(EXERCISED).join(', ')})`, async () => {
      /** What a person would notice about the ticket: status, assignee, category, priority, escalation, tags, the card. */
      const observable = async (ticket: Ticket) => {
        const s = await app.desk.findTicket(ticket.id);
        const [card] = await driver.cards(ticket);
        return {
          status: s.status,
          assignee: s.assignee?.id,
          category: s.category,
          priority: s.priority,
          escalation: s.escalationLevel,
          tags: s.tags,
          card: card?.text,
          actions: card?.actions,
        };
      };
      const opened = async (what: string) => {
        const t = title(what);
        await driver.command(driver.requester, t);
        return ticketTitled(t);
      };
      for (const action of Object.keys(EXERCISED) as MatrixAction[]) {
        const exercise = EXERCISED[action]!;
        const rows = exercisedRows.filter((r) => r.action === action);
        // Refusals first, on one ticket (they change nothing); then each allowed role, on a ticket of its own where the action is once only.
        let ticket = await opened(`Matrix ${action}`);
        let used = false;
        for (const row of [...rows.filter((r) => !r.allowed), ...rows.filter((r) => r.allowed)]) {
          const who = ROLE_PEOPLE[row.role]!;
          const mark = `m${row.role.toLowerCase()}${counter}`;
          if (row.allowed && exercise.once && used) ticket = await opened(`Matrix ${action} ${row.role}`);
          used ||= row.allowed;
          const before = await app.desk.findTicket(ticket.id);
          const seenBefore = await observable(ticket);
          const requesterSaw = (await driver.privateTexts(driver.requester)).length;
          await exercise.attempt(who, before, mark);
          if (row.allowed) {
            await eventually(async () => {
              expect({ ...row, done: exercise.done(before, await app.desk.findTicket(ticket.id), who, mark) }).toEqual({ ...row, done: true });
            });
          } else {
            const says = exercise.says(ticket.key, row.role);
            await eventually(async () => {
              expect((await driver.privateTexts(who)).join('\n')).toContain(says);
              const stored = await app.desk.findTicket(ticket.id);
              expect(
                stored.activity
                  .slice(before.activity.length)
                  .filter((a) => a.action === 'refused' && a.actor.id === who.id && a.to === action.replace('_outside_team', '')),
              ).toHaveLength(1);
            });
            expect({ ...row, ...(await observable(ticket)) }).toEqual({ ...row, ...seenBefore });
            if (row.role !== 'requester') {
              const newForRequester = (await driver.privateTexts(driver.requester)).slice(requesterSaw);
              expect(newForRequester.filter((x) => x.includes(says))).toEqual([]); // the refusal went to the clicker alone
            }
          }
          ticket = await app.desk.findTicket(ticket.id);
        }
      }
    }, 180_000);

    it('what an allowed change shows: a reply reaches the requester, tags show on the card and are confirmed to the agent', async () => {
      const t = title('Headset crackles in calls');
      await driver.command(driver.requester, t);
      const ticket = await ticketTitled(t);
      await driver.command(driver.otherAgent, `reply ${ticket.key} Which headset model is it?`);
      await driver.command(driver.otherAgent, `tag ${ticket.key} headset audio`);
      await eventually(async () => {
        expect((await app.desk.findTicket(ticket.id)).tags).toEqual(['headset', 'audio']);
        const [card] = await driver.cards(ticket);
        expect(card?.text).toContain('headset, audio');
        expect((await driver.privateTexts(driver.otherAgent)).join('\n')).toContain(`${ticket.key} is tagged: headset, audio.`);
        expect((await driver.privateTexts(driver.requester)).join('\n')).toContain('Which headset model is it?');
      });
    });

    messageIntakeContract(driver, { app: () => app, title, eventually, openAndClaim });
    handoffSummaryContract(driver, { app: () => app, title, eventually, openAndClaim, noteMark: NOTE_MARK });

    const otherWorkspaces = driver.fromOtherWorkspace ? it : it.skip;
    otherWorkspaces('a request from another workspace is refused before anything runs: nothing stored, no call to the platform', async () => {
      const t = title('Ticket from a foreign workspace');
      // What earlier scenarios started (notices, card updates) finishes first.
      await new Promise((r) => setTimeout(r, 500));
      await app.intake.idle();
      await app.desk.idle();
      const calls = driver.outboundCalls!();
      const status = await driver.fromOtherWorkspace!(driver.requester, t);
      if (status !== undefined) expect(status).toBe(403);
      await new Promise((r) => setTimeout(r, 500));
      expect(await countTitled(t)).toBe(0);
      const stored = await app.store.connection.db!.collection('inbox').countDocuments({ 'event.request.text': { $regex: 'foreign workspace' } });
      expect(stored).toBe(0);
      expect(driver.outboundCalls!()).toBe(calls);
    });

    it('a requester who cannot receive DMs still gets a visible fallback, and the ticket is stored', async () => {
      if (!driver.blockDirectMessages) return; // the platform cannot refuse a DM (e.g. the playground)
      driver.blockDirectMessages(driver.otherAgent);
      const t = title('Monitor flickers');
      await driver.command(driver.otherAgent, t);
      const ticket = await ticketTitled(t);
      await eventually(async () => {
        const cards = await driver.cards(ticket);
        expect(cards).toHaveLength(1);
        const stored = await app.desk.findTicket(ticket.id);
        expect(stored.activity.map((a) => a.action)).toContain('created');
        // The fallback: the confirmation lands where the user can see it (ephemeral, thread or channel).
        expect((await driver.privateTexts(driver.otherAgent)).join('\n')).toContain(ticket.key);
      });
    });
  });
}
