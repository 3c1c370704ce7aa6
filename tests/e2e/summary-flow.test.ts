/**
 * Hand-off summaries on Slack with an LLM: the real Bolt app and Slack
 * emulator, the real openai SDK against the OpenAI emulator. The model writes
 * the summary; its answer is cleaned; when it fails the extractive summary is
 * sent instead. (Offline, every messenger: tests/contract/handoff-summary-contract.ts.)
 */
import type { Chatdesk } from '../../src/app';
import type { Ticket, UserRef } from '../../src/domain/ticket/ticket';
import { eventually } from '../contract/adapter-contract';
import { slackDriver } from '../contract/drivers/slack.driver';
import { type OpenAiCall, startOpenAiEmulator, type OpenAiEmulator } from '../emulators/openai';

const SECRET = 'SECRET-NOTE-5150';

describe('hand-off summaries on Slack with the LLM', () => {
  let llm: OpenAiEmulator;
  let app: Chatdesk;
  let driver: ReturnType<typeof slackDriver>;
  let n = 0;

  beforeAll(async () => {
    llm = await startOpenAiEmulator();
    driver = slackDriver({
      label: 'summary_llm',
      env: { OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.baseUrl, OPENAI_MODEL: llm.model, OPENAI_TIMEOUT_MS: '1500', CHATDESK_SLA_WORKER: 'false' },
    });
    app = await driver.start();
  }, 60_000);
  afterAll(async () => {
    await driver?.stop();
    await llm?.close();
  });
  afterEach(async () => {
    // Whatever happened, the requester never received the note.
    expect((await driver.privateTexts(driver.requester)).filter((x) => x.includes(SECRET))).toEqual([]);
    llm.clearScript();
  });

  const isSummaryCall = (c: OpenAiCall) => !!c.body?.messages[0]?.content.includes('hand-off summary');
  const summaryCalls = () => llm.chatCalls().filter(isSummaryCall);
  const header = (ticket: Ticket) => `📋 Hand-off summary of ${ticket.key} "${ticket.title}"`;
  const summariesTo = async (who: UserRef, ticket: Ticket) => (await driver.privateTexts(who)).filter((x) => x.includes(header(ticket)));

  /** The requester opens it, bob claims it, answers, and notes the secret; then everything settles. */
  async function worked(what: string): Promise<Ticket> {
    const title = `${what} #${++n}`;
    await driver.command(driver.requester, title);
    let ticket: Ticket | undefined;
    await eventually(async () => {
      ticket = (await app.store.tickets.list({ limit: 100 })).find((x) => x.title === title);
      expect(ticket?.agentCards).toHaveLength(1);
    });
    await driver.click(driver.agent, ticket!, 'claim');
    await driver.command(driver.agent, `reply ${ticket!.key} Which dock model is it?`);
    await driver.command(driver.agent, `note ${ticket!.key} ${SECRET} spare docks are on the 2nd floor`);
    await eventually(async () => {
      expect((await app.desk.findTicket(ticket!.id)).activity.map((a) => a.action)).toEqual(expect.arrayContaining(['claimed', 'agent_replied', 'note']));
    });
    await app.intake.idle();
    await app.desk.idle();
    return app.desk.findTicket(ticket!.id);
  }

  it('reassigned: the new owner gets the summary the model wrote, cleaned of mentions and made-up links, from facts that include the note', async () => {
    const ticket = await worked('Dock drops the external screens');
    const before = summaryCalls().length;
    llm.script({
      kind: 'text',
      content:
        'Asked: the dock drops both screens.\nTried: bob asked for the model <!channel> @carol, see https://evil.example/fix\nPending: the requester to name the dock.',
    });
    await driver.assign(driver.agent, ticket, driver.otherAgent);
    await eventually(async () => {
      const [dm, ...more] = await summariesTo(driver.otherAgent, ticket);
      expect(more).toEqual([]);
      expect(dm).toContain('Asked: the dock drops both screens.');
      expect(dm).toContain('Pending: the requester to name the dock.');
      expect(dm).toContain('[link removed]');
      expect(dm).not.toMatch(/<!channel>|@carol|evil\.example/);
      expect(dm).toContain("(Written by the AI from the ticket's history");
    });
    const call = summaryCalls()[before]!;
    expect(call.raw).toContain(SECRET); // agent-facing: the model may use the note
    expect(call.raw).toContain('Which dock model is it?');
    expect(call.raw).not.toContain(driver.requester.id);
  });

  it('the LLM failing (500s until the deadline): the extractive summary is sent instead, once', async () => {
    const ticket = await worked('Laptop charger whines');
    const before = summaryCalls().length;
    llm.script(...Array.from({ length: 6 }, () => ({ kind: 'status', status: 500 }) as const));
    await driver.assign(driver.agent, ticket, driver.otherAgent);
    await eventually(async () => {
      const [dm, ...more] = await summariesTo(driver.otherAgent, ticket);
      expect(more).toEqual([]);
      expect(dm).toContain("(Extracted from the ticket's conversation.");
      expect(dm).toContain('Which dock model is it?');
      expect(dm).toContain(SECRET);
    }, 10_000);
    // The model was asked, and failed every time.
    expect(summaryCalls().length).toBeGreaterThan(before);
    expect(
      summaryCalls()
        .slice(before)
        .map((c) => c.status),
    ).toEqual(
      summaryCalls()
        .slice(before)
        .map(() => 500),
    );
  });

  it('Slack down at the hand-off: the summary waits in the outbox (naming the ticket and the person, no text), then arrives once, the model asked once', async () => {
    const ticket = await worked('Monitor arm is loose');
    const before = summaryCalls().length;
    const emu = driver.emulator();
    emu.failNext('chat.postMessage', { status: 503 }, 10_000);
    emu.failNext('conversations.open', { status: 503 }, 10_000);
    await driver.assign(driver.agent, ticket, driver.otherAgent);
    const waiting = async () =>
      (await app.store.connection.db!.collection('outbox').find({ 'job.kind': 'handoff_summary', 'job.ticketId': ticket.id }).toArray()).map((e) => e.job);
    await eventually(async () => {
      expect((await app.desk.findTicket(ticket.id)).assignee?.id).toBe(driver.otherAgent.id);
      expect(await waiting()).toEqual([{ kind: 'handoff_summary', ticketId: ticket.id, user: expect.objectContaining({ id: driver.otherAgent.id }) }]);
      expect(summaryCalls().length).toBe(before + 1);
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await summariesTo(driver.otherAgent, ticket)).toEqual([]);
    emu.clearFaults();
    await eventually(async () => {
      expect(await summariesTo(driver.otherAgent, ticket)).toHaveLength(1);
      expect(await waiting()).toEqual([]);
    }, 30_000);
    expect(summaryCalls()).toHaveLength(before + 1);
  }, 45_000);

  it('/ticket summary: the agent gets it privately, written by the model; a stranger is refused and the model is not asked', async () => {
    const ticket = await worked('Badge reader beeps twice');
    llm.script({ kind: 'text', content: 'Asked: the badge reader beeps.\nTried: a question about the dock.\nPending: an answer.' });
    await driver.command(driver.agent, `summary ${ticket.key}`);
    await eventually(async () => {
      const [answer] = await summariesTo(driver.agent, ticket);
      expect(answer).toContain('Asked: the badge reader beeps.');
    });
    const calls = summaryCalls().length;
    await driver.command(driver.stranger, `summary ${ticket.key}`);
    await eventually(async () => {
      expect((await driver.privateTexts(driver.stranger)).join('\n')).toContain(`Only IT agents can see the summary of ${ticket.key}.`);
    });
    expect(summaryCalls()).toHaveLength(calls);
    expect(await summariesTo(driver.stranger, ticket)).toEqual([]);
  });

  it('escalated: the lead gets the escalation DM, then the summary; their Take over answers with it (no DM to themselves)', async () => {
    const ticket = await worked('Payroll export stuck');
    await driver.click(driver.agent, ticket, 'escalate');
    let escalation: string | undefined;
    await eventually(async () => {
      escalation = (await driver.privateCards(driver.lead)).find((c) => c.text.includes(ticket.key) && c.actions.includes('take_over'))?.messageId;
      expect(escalation).toBeDefined();
      expect(await summariesTo(driver.lead, ticket)).toHaveLength(1);
    });
    const texts = await driver.privateTexts(driver.lead);
    const escalatedAt = texts.findIndex((x) => x.includes(`escalated ${ticket.key}`));
    const summaryAt = texts.findIndex((x) => x.includes(header(ticket)));
    expect(escalatedAt).toBeGreaterThanOrEqual(0);
    expect(summaryAt).toBeGreaterThan(escalatedAt);

    await driver.clickPrivate(driver.lead, escalation!, 'take_over');
    await eventually(async () => {
      expect((await app.desk.findTicket(ticket.id)).assignee?.id).toBe(driver.lead.id);
      const summaries = await summariesTo(driver.lead, ticket);
      expect(summaries).toHaveLength(2);
      expect(summaries[1]).toMatch(new RegExp(`^You now own ${ticket.key}\\.\\n\\n📋 Hand-off summary`));
    });
    await app.intake.idle();
    await app.desk.idle();
    await new Promise((r) => setTimeout(r, 300));
    expect(await summariesTo(driver.lead, ticket)).toHaveLength(2);
  });
});
