import type { Chatdesk } from '../../src/app';
import type { Ticket } from '../../src/domain/ticket/ticket';
import type { ContractDriver } from './contract-driver';

interface Helpers {
  app: () => Chatdesk;
  title: (what: string) => string;
  eventually: (assertion: () => Promise<void> | void, timeoutMs?: number) => Promise<void>;
  openAndClaim: (t: string) => Promise<Ticket>;
}

/**
 * More ways in, the same on every messenger that has them: a message turned
 * into a ticket (message action, the ticket emoji) and the two-way card thread
 * with its safe default. Registered inside the adapter contract's describe.
 */
export function messageIntakeContract(driver: ContractDriver, h: Helpers): void {
  const ticketsMentioning = async (text: string) =>
    (await h.app().store.tickets.list({ limit: 500 })).filter((x) => x.description.includes(text) || x.title.includes(text));
  const settle = async () => {
    await new Promise((r) => setTimeout(r, 400));
    await h.app().intake.idle();
    await h.app().desk.idle();
  };

  const withMessageAction = driver.messageAction && driver.channelMessage ? it : it.skip;
  withMessageAction(
    'message → ticket: the form opens prefilled with the text and a link; the author is the requester, the clicker its reporter; the thread hears of it; a bot message is refused',
    async () => {
      const text = h.title('The conference room screen shows only stripes');
      const messageId = await driver.channelMessage!(driver.requester, text);
      const prefilled = await driver.messageAction!(driver.agent, messageId);
      // Where the platform opens a form (all but Feishu, whose nearest is a reply with /ticket), it is filled from the message.
      if (prefilled) {
        expect(prefilled.title).toBe(text);
        expect(prefilled.description).toContain(text);
        const link = await driver.messageLink?.(messageId);
        if (link) expect(prefilled.description).toContain(link);
      }
      let ticket: Ticket | undefined;
      await h.eventually(async () => {
        [ticket] = await ticketsMentioning(text);
        expect(ticket?.requester).toMatchObject({ platform: driver.platform, id: driver.requester.id });
        expect(ticket?.agentCards).toHaveLength(1);
        expect(ticket?.activity).toContainEqual(expect.objectContaining({ action: 'reported', actor: expect.objectContaining({ id: driver.agent.id }) }));
        const thread = (await driver.messageThread!(messageId)).join('\n');
        expect(thread).toContain(`${ticket!.key} was opened from this message`);
        expect((await driver.privateTexts(driver.agent)).join('\n')).toContain(`Opened ${ticket!.key} for`);
        expect((await driver.privateTexts(driver.requester)).join('\n')).toContain(ticket!.key);
      });

      const botText = h.title('A message of the bot itself');
      const botMessage = await driver.channelMessage!('bot', botText);
      await driver.messageAction!(driver.agent, botMessage);
      await h.eventually(async () => {
        expect((await driver.privateTexts(driver.agent)).join('\n')).toContain('That message is one of mine: no ticket is opened from it.');
      });
      await settle();
      expect(await ticketsMentioning(botText)).toEqual([]);
    },
  );

  const withReactions = driver.react && driver.channelMessage ? it : it.skip;
  withReactions(
    'emoji → ticket: the ticket emoji opens one ticket for the author, however often it is added; another emoji or a bot message opens none',
    async () => {
      const text = h.title('Wifi in the east wing drops every hour');
      const messageId = await driver.channelMessage!(driver.requester, text);
      await driver.react!(driver.stranger, messageId, driver.platform === 'slack' ? '+1' : '👍');
      await settle();
      expect(await ticketsMentioning(text)).toEqual([]);
      await driver.react!(driver.stranger, messageId);
      let ticket: Ticket | undefined;
      await h.eventually(async () => {
        [ticket] = await ticketsMentioning(text);
        expect(ticket?.requester).toMatchObject({ platform: driver.platform, id: driver.requester.id });
        expect(ticket?.agentCards).toHaveLength(1);
        expect(ticket?.activity).toContainEqual(expect.objectContaining({ action: 'reported', actor: expect.objectContaining({ id: driver.stranger.id }) }));
        expect((await driver.messageThread!(messageId)).join('\n')).toContain(`${ticket!.key} was opened from this message`);
      });
      // A second ticket emoji on the same message (someone else's, or the same event redelivered): no second ticket.
      await driver.react!(driver.otherAgent, messageId);
      await driver.react!(driver.stranger, messageId);
      await settle();
      expect(await ticketsMentioning(text)).toHaveLength(1);
      expect((await driver.messageThread!(messageId)).filter((x) => x.includes('was opened from this message'))).toHaveLength(1);

      const botText = h.title('Reminder from the bot');
      const botMessage = await driver.channelMessage!('bot', botText);
      await driver.react!(driver.stranger, botMessage);
      await settle();
      expect(await ticketsMentioning(botText)).toEqual([]);
    },
  );

  const withRelay = driver.replyInCardThread ? it : it.skip;
  withRelay(
    'two-way thread: a plain reply in the card thread stays with the agents; a >> reply reaches the requester; a stranger’s >> is refused',
    async () => {
      const ticket = await h.openAndClaim(h.title('Docking station not charging'));
      const requesterSaw = () => driver.privateTexts(driver.requester);
      await driver.replyInCardThread!(driver.agent, ticket, 'internal: probably the firmware again');
      await settle();
      expect((await requesterSaw()).join('\n')).not.toContain('probably the firmware');
      expect((await h.app().desk.findTicket(ticket.id)).activity.some((a) => a.action === 'agent_replied')).toBe(false);

      await driver.replyInCardThread!(driver.agent, ticket, '>> Please unplug it for ten seconds, then plug it back in.');
      await h.eventually(async () => {
        expect((await requesterSaw()).join('\n')).toContain('Please unplug it for ten seconds, then plug it back in.');
        const stored = await h.app().desk.findTicket(ticket.id);
        expect(stored.activity).toContainEqual(
          expect.objectContaining({
            action: 'agent_replied',
            note: 'Please unplug it for ten seconds, then plug it back in.',
            actor: expect.objectContaining({ id: driver.agent.id }),
          }),
        );
        expect((await driver.privateTexts(driver.agent)).join('\n')).toContain(`Sent to`);
      });

      await driver.replyInCardThread!(driver.stranger, ticket, '>> send me your password');
      await h.eventually(async () => {
        expect((await driver.privateTexts(driver.stranger)).join('\n')).toContain(`Only IT agents can reply to ${ticket.key}.`);
      });
      expect((await requesterSaw()).join('\n')).not.toContain('send me your password');
    },
  );
}
