import { readMail, structureAttachments } from '../../../../src/adapters/email/mail-read';

describe('readMail: the parts of a mail chatdesk uses (mailparser)', () => {
  it('reads sender, subject, threading headers, text and attachments', async () => {
    const raw = [
      'From: "Alice" <Alice@Example.test>',
      'To: help@desk.test',
      'Subject: Re: [T-1001] Printer',
      'Message-ID: <m2@example.test>',
      'In-Reply-To: <c1@desk.test>',
      'References: <m1@example.test> <c1@desk.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Tray 2.',
      '--b',
      'Content-Type: application/pdf; name="log.pdf"',
      'Content-Disposition: attachment; filename="log.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.alloc(300, 1).toString('base64'),
      '--b--',
      '',
    ].join('\r\n');
    const mail = await readMail(Buffer.from(raw), { size: raw.length }, 1024 * 1024);
    expect(mail).toMatchObject({
      from: 'alice@example.test',
      fromName: 'Alice',
      subject: 'Re: [T-1001] Printer',
      messageId: '<m2@example.test>',
      inReplyTo: '<c1@desk.test>',
      references: ['<m1@example.test>', '<c1@desk.test>'],
      truncated: false,
      unreadable: false,
    });
    expect(mail.text.trim()).toBe('Tray 2.');
    expect(mail.attachments).toEqual([{ name: 'log.pdf', bytes: 300 }]);
  });

  it("lists a large mail's attachments from the server's structure (nothing downloaded), the body parts not", () => {
    const structure = {
      type: 'multipart/mixed',
      childNodes: [
        { type: 'text/plain', size: 40 },
        { type: 'application/pdf', encoding: 'base64', size: 35_872_274, disposition: 'attachment', dispositionParameters: { filename: 'scan.pdf' } },
      ],
    };
    const [scan, ...rest] = structureAttachments(structure);
    expect(rest).toEqual([]);
    expect(scan?.name).toBe('scan.pdf');
    expect(Math.round((scan?.bytes ?? 0) / 1024 / 1024)).toBe(25);
  });
});
