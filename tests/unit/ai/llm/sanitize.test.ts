import { oneLine, stripMassMentions, untrustedText } from '../../../../src/ai/llm/sanitize';
import { triageCategoriesFromDesk, triageUserPrompt } from '../../../../src/ai/llm/triage-prompt';
import { defaultDeskConfig } from '../../../../src/config/default-desk-config';
import { deskConfigSchema } from '../../../../src/config/desk-config.schema';

describe('untrusted text cleaning', () => {
  it.each([
    ['<!channel> outage', 'channel outage'],
    ['<!here|here> look', 'here look'],
    ['<!everyone>', 'everyone'],
    ['hey @everyone and @here, @channel', 'hey everyone and here, channel'],
    ['<at>everyone</at> hi', 'everyone hi'],
    ['<at user_id="all">所有人</at> 注意', 'all 注意'],
    ['@所有人 请看', '所有人 请看'],
    ['<!subteam^S123|@it-team> ping', 'team ping'],
  ])('neutralises mass mentions: %s', (input, expected) => {
    expect(stripMassMentions(input)).toBe(expected);
  });

  it('keeps e-mail addresses and ordinary mentions', () => {
    expect(stripMassMentions('write to ops@here.com or @alice')).toBe('write to ops@here.com or @alice');
  });

  it('removes control and bidi characters, caps length, keeps paragraphs', () => {
    const t = untrustedText(`Hello\u0000\u202e world\r\n\r\n\r\n\r\nBye ${'x'.repeat(50)}`, 30);
    expect(t).toBe(`Hello world\n\nBye ${'x'.repeat(12)}…`);
    expect(oneLine('a\n\tb\u0007c', 10)).toBe('a bc');
  });
});

describe('triage prompt inputs', () => {
  it('describes each configured category by its team', () => {
    const cats = triageCategoriesFromDesk(deskConfigSchema.parse(defaultDeskConfig));
    expect(cats.map((c) => c.id)).toEqual(['access', 'hardware', 'software', 'network', 'email', 'security', 'facilities', 'hr']);
    expect(cats[0]!.description).toBe('handled by the IT team');
  });

  it('cuts long descriptions before sending them', () => {
    const prompt = triageUserPrompt({ title: 't', description: 'y'.repeat(10_000) });
    expect(prompt.length).toBeLessThan(4200);
  });
});
