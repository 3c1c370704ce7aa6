import { attachmentLine, visibleText } from '../../../../src/adapters/email/mail-text';

describe('visibleText: what the person wrote, without what they quoted or signed', () => {
  it('cuts at a Gmail reply header, also when it is folded over two lines', () => {
    expect(visibleText('Still broken.\n\nOn Mon, 5 Jan 2026 at 09:00, Help Desk <help@desk.test>\nwrote:\n> Your ticket T-1001 is open')).toBe('Still broken.');
    expect(visibleText('Thanks!\nOn Tue, Jan 6, 2026 at 10:12 AM Bob <bob@x.test> wrote:\n> earlier')).toBe('Thanks!');
  });

  it("cuts at Outlook's From/Sent block and at -----Original Message-----", () => {
    expect(visibleText('Here is the log.\n\nFrom: Help Desk <help@desk.test>\nSent: Monday, January 5, 2026 9:00 AM\nTo: Alice\nSubject: [T-1001]')).toBe(
      'Here is the log.',
    );
    expect(visibleText('Done.\n-----Original Message-----\nFrom: x')).toBe('Done.');
  });

  it('cuts at the signature delimiter and "Sent from my …", and drops > quoted lines', () => {
    expect(visibleText('The VPN drops.\n\n-- \nAlice Example\nFinance')).toBe('The VPN drops.');
    expect(visibleText('On it.\n\nSent from my iPhone')).toBe('On it.');
    expect(visibleText('> what you said\nMy answer\n> more')).toBe('My answer');
  });

  it('keeps a forwarded message (that is the request) and other languages are cut too', () => {
    expect(visibleText('See below.\n---------- Forwarded message ---------\nFrom: vendor')).toContain('Forwarded message');
    expect(visibleText('Merci.\nLe lun. 5 janv. 2026 à 09:00, Help <help@desk.test> a écrit :\n> x')).toBe('Merci.');
    expect(visibleText('好的。\n在 2026年1月5日 09:00，Help <help@desk.test> 写道：\n> x')).toBe('好的。');
  });

  it('lists attachments by name and readable size', () => {
    expect(attachmentLine({ name: 'a.pdf', bytes: 25 * 1024 * 1024 })).toBe('a.pdf (25.0 MB)');
    expect(attachmentLine({ name: 'b.png', bytes: 3000 })).toBe('b.png (3 KB)');
    expect(attachmentLine({ name: 'c.txt', bytes: 12 })).toBe('c.txt (12 B)');
  });
});
