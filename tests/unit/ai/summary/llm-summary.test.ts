/** The LLM hand-off summary, with the real openai SDK against the emulator: untrusted output, extractive fallback. */
import { summaryFacts } from '../../../../src/ai/summary/summary-facts';
import { cleanModelText, LlmSummarizer } from '../../../../src/ai/summary/summarizer';
import { extractiveSummary, MAX_SUMMARY_CHARS } from '../../../../src/ai/summary/summary-text';
import { startClock } from '../../../../src/domain/sla/clock';
import { validateSlaConfig } from '../../../../src/domain/sla/policy';
import type { Ticket, UserRef } from '../../../../src/domain/ticket/ticket';
import { applyAction } from '../../../../src/domain/ticket/transitions';
import { startOpenAiEmulator, type OpenAiEmulator } from '../../../emulators/openai';
import { aTicket, TICKET_T0 } from '../../../support/ticket-factory';
import { capturingLogger, chatFor } from '../llm/helpers';

let emu: OpenAiEmulator;
beforeAll(async () => {
  emu = await startOpenAiEmulator();
});
afterAll(() => emu.close());

const SECRET = 'SECRET-NOTE-9191';
const alice: UserRef = { platform: 'slack', id: 'U_ALICE', name: 'alice' };
const bob: UserRef = { platform: 'slack', id: 'U_BOB', name: 'bob' };
const carol: UserRef = { platform: 'slack', id: 'U_CAROL', name: 'carol' };
const at = (min: number) => new Date(TICKET_T0.getTime() + min * 60_000);
const now = at(90);

function ticket(): Ticket {
  let t = aTicket({
    title: 'Cannot open https://wiki.example.com/vpn',
    description: 'The VPN page times out.',
    sla: startClock(TICKET_T0, 'P2'),
    activity: [{ at: TICKET_T0, action: 'created', actor: alice }],
  });
  t = applyAction(t, { kind: 'claim' }, bob, at(5));
  t = applyAction(t, { kind: 'reply', text: 'Does it open from the office?' }, bob, at(10));
  t = applyAction(t, { kind: 'note', text: `${SECRET} proxy allow-list is stale` }, bob, at(20));
  return applyAction(t, { kind: 'assign', assignee: carol }, bob, at(30));
}
const facts = (audience: 'agent' | 'requester' = 'agent') =>
  summaryFacts(ticket(), { audience, now, locale: 'en', team: 'IT', statusLabel: 'In progress', sla: validateSlaConfig({}) });

describe('LLM hand-off summary', () => {
  it('sends the facts as untrusted JSON (notes only for agents, no ids) and posts the cleaned answer under the stored header', async () => {
    emu.script({
      kind: 'text',
      content:
        'Asked: the VPN wiki page times out.\nTried: bob asked if it opens from the office; the proxy allow-list may be stale.\nPending: carol to check the proxy.',
    });
    const { logger } = capturingLogger();
    const before = emu.chatCalls().length;
    const s = await new LlmSummarizer({ llm: chatFor(emu), logger }).summarize(facts());
    expect(s.by).toBe('llm');
    const lines = s.text.split('\n');
    expect(lines[0]).toBe('📋 Hand-off summary of T-1001 "Cannot open https://wiki.example.com/vpn"');
    expect(lines[1]).toMatch(/^Open 1h 30m · In progress · P2 · IT · requester alice/);
    expect(lines.slice(2, 5)).toEqual([
      'Asked: the VPN wiki page times out.',
      'Tried: bob asked if it opens from the office; the proxy allow-list may be stale.',
      'Pending: carol to check the proxy.',
    ]);
    expect(lines.at(-1)).toMatch(/^\(Written by the AI from the ticket's history/);
    const call = emu.chatCalls()[before]!;
    expect(call.body?.messages[0]?.content).toMatch(/hand-off summary/);
    const user = call.body?.messages[1]?.content ?? '';
    expect(user).toMatch(/^<facts>\n\{/);
    expect(user).toContain(SECRET); // agent-facing: the notes may be used
    expect(user).not.toMatch(/U_ALICE|U_BOB|U_CAROL/);
  });

  it('the requester-facing prompt carries no internal note', async () => {
    emu.script({ kind: 'text', content: 'Asked: the VPN page. Tried: a question about the office. Pending: an answer.' });
    const before = emu.chatCalls().length;
    const s = await new LlmSummarizer({ llm: chatFor(emu), logger: capturingLogger().logger }).summarize(facts('requester'));
    expect(emu.chatCalls()[before]!.raw).not.toContain(SECRET);
    expect(s.text).not.toContain(SECRET);
  });

  it('the model cannot mention anyone or add a link: mentions and unknown links are removed, a link from the ticket stays, the length is capped', async () => {
    emu.script({
      kind: 'text',
      content: `<!channel> @here ping <@U0EVE> and @mallory <at id="all"></at>: see [the fix](https://evil.example/steal) or <https://evil.example/x|here>, www.evil.example too; the page is https://wiki.example.com/vpn ${'padding '.repeat(400)}`,
    });
    const s = await new LlmSummarizer({ llm: chatFor(emu), logger: capturingLogger().logger }).summarize(facts());
    expect(s.by).toBe('llm');
    expect(s.text).not.toMatch(/<!channel>|@here|<@U0EVE>|@mallory|<at|evil\.example/);
    expect(s.text).toContain('[link removed]');
    expect(s.text).toContain('https://wiki.example.com/vpn');
    expect(Array.from(s.text).length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(cleanModelText('mail bob@example.com', facts())).toBe('mail bob@example.com');
  });

  it.each([
    [
      'a 500',
      [
        { kind: 'status', status: 500 },
        { kind: 'status', status: 500 },
      ],
    ],
    [
      'slow beyond the timeout',
      [
        { kind: 'slow', delayMs: 3000 },
        { kind: 'slow', delayMs: 3000 },
      ],
    ],
    ['a truncated answer', [{ kind: 'truncated' }, { kind: 'truncated' }]],
    ['an empty answer', [{ kind: 'text', content: ' \u200b \n\u202e ' }]],
  ] as const)('%s: the extractive summary is given instead, and the failure is logged', async (_name, replies) => {
    emu.clearScript();
    emu.script(...replies);
    const { logger, lines } = capturingLogger();
    const f = facts();
    const s = await new LlmSummarizer({ llm: chatFor(emu, 500), logger }).summarize(f);
    expect(s).toEqual({ text: extractiveSummary(f), by: 'extractive' });
    expect(s.text).toContain("Pending:\n  • No question open with the requester: the next step is the owner's.");
    expect(lines.join('\n')).toMatch(/hand-off summary.*; using the extractive one/);
    emu.clearScript();
  });
});
