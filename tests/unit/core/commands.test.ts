import { commandArguments, parseCommandText, parseTextCommand } from '../../../src/core/commands';

describe('chat commands', () => {
  it('reads the agent commands with their target and text, in English and Chinese', () => {
    expect(parseCommandText('reply t-1001 Restart the client\nthen sign in')).toEqual({
      kind: 'reply',
      target: 'T-1001',
      text: 'Restart the client\nthen sign in',
    });
    expect(parseCommandText('类别 T-7 network')).toEqual({ kind: 'category', target: 'T-7', text: 'network' });
    expect(parseCommandText(`kb KB-${'a'.repeat(24)} new answer`)).toEqual({ kind: 'kb', target: `kb-${'a'.repeat(24)}`, text: 'new answer' });
    expect(parseTextCommand('/工单 回复 T-1001 好的')).toEqual({ kind: 'reply', target: 'T-1001', text: '好的' });
    expect(parseCommandText('tag T-1001 vpn -printer')).toEqual({ kind: 'tag', target: 'T-1001', text: 'vpn -printer' });
    expect(parseTextCommand('/工单 标签 T-1001 网络')).toEqual({ kind: 'tag', target: 'T-1001', text: '网络' });
    expect(parseCommandText('tag line on the printer is smudged')).toEqual({ kind: 'quick', text: 'tag line on the printer is smudged' });
  });

  it('reads /ticket summary T-1001 and its Chinese twin /工单 摘要 T-1001', () => {
    expect(parseTextCommand('/ticket summary t-1001')).toEqual({ kind: 'summary', target: 'T-1001', text: '' });
    expect(parseTextCommand('/工单 摘要 T-1001')).toEqual({ kind: 'summary', target: 'T-1001', text: '' });
    expect(parseCommandText('summary of my problem: the printer')).toEqual({ kind: 'quick', text: 'summary of my problem: the printer' });
  });

  it("reads the requester's /ticket comment T-1001 text and its Chinese twin /工单 评论 T-1001 内容", () => {
    expect(parseTextCommand('/ticket comment t-1001 Quick and friendly')).toEqual({ kind: 'comment', target: 'T-1001', text: 'Quick and friendly' });
    expect(parseTextCommand('/工单 评论 T-1001 很快就解决了')).toEqual({ kind: 'comment', target: 'T-1001', text: '很快就解决了' });
    expect(parseCommandText('comment field on the form is too short')).toEqual({ kind: 'quick', text: 'comment field on the form is too short' });
  });

  it('keeps ordinary text starting with those words a quick ticket (no key after it)', () => {
    expect(parseCommandText('reply button in Outlook is greyed out')).toEqual({ kind: 'quick', text: 'reply button in Outlook is greyed out' });
    expect(parseCommandText('category list is empty in the form')).toEqual({ kind: 'quick', text: 'category list is empty in the form' });
  });

  it('gives an agent command without text an empty text (usage is then shown)', () => {
    expect(parseCommandText('reply T-1001')).toEqual({ kind: 'reply', target: 'T-1001', text: '' });
  });

  it('ordinary messages are not commands', () => {
    expect(parseTextCommand('it works at door 2 though')).toBeUndefined();
  });

  it('reads past the command word in English and Chinese alike; with `slash`, only a typed /command', () => {
    expect(commandArguments('/工单 打印机坏了')).toBe('打印机坏了');
    expect(commandArguments('/工单')).toBe('');
    expect(commandArguments('  /Ticket help ')).toBe('help ');
    expect(commandArguments('ticket 帮助')).toBe('帮助');
    expect(commandArguments('ticket 帮助', { slash: true })).toBeUndefined();
    expect(commandArguments('/工单号是多少', { slash: true })).toBeUndefined();
    expect(commandArguments('/tickets', { slash: true })).toBe('');
    expect(parseTextCommand('/工单 帮助')).toEqual({ kind: 'help' });
    expect(parseTextCommand('/工单 升级')).toEqual({ kind: 'escalations' });
  });
});
