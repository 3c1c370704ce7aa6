/** `chatdesk-classifier import`: usage errors are caught before anything is sent. */
import { main, defaultIo, type CliIo } from '../../../../src/ai/cli';

function capture(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const sent: string[] = [];
  const io: CliIo = {
    ...defaultIo,
    env,
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    readFile: () => 'title,category\nx,a\n',
    fetch: async (url) => {
      sent.push(String(url));
      return new Response('{}', { status: 500 });
    },
  };
  return { io, out, err, sent };
}

describe('chatdesk-classifier import', () => {
  it('needs the admin token, a file and the desk URL', async () => {
    const noToken = capture({});
    expect(await main(['import', '--in', 'h.csv', '--url', 'http://127.0.0.1:3000'], noToken.io)).toBe(2);
    expect(noToken.err[0]).toMatch(/CHATDESK_ADMIN_TOKEN/);
    const noUrl = capture({ CHATDESK_ADMIN_TOKEN: 't' });
    expect(await main(['import', '--in', 'h.csv'], noUrl.io)).toBe(2);
    expect(noUrl.err[0]).toMatch(/missing --url/);
    const badType = capture({ CHATDESK_ADMIN_TOKEN: 't' });
    expect(await main(['import', '--in', 'h.xlsx', '--url', 'http://127.0.0.1:3000'], badType.io)).toBe(1);
    expect(badType.err[0]).toMatch(/unsupported file type/);
    expect([...noToken.sent, ...noUrl.sent, ...badType.sent]).toEqual([]);
  });

  it('sends the format and column options as query parameters', async () => {
    const c = capture({ CHATDESK_ADMIN_TOKEN: 't' });
    expect(
      await main(
        ['import', '--in', 'h.csv', '--url', 'http://desk:3000/', '--text-col', 'subject,body', '--label-col', 'queue', '--priority-col', 'urgency'],
        c.io,
      ),
    ).toBe(1);
    expect(c.sent).toEqual(['http://desk:3000/admin/classifier/import?format=csv&text-col=subject%2Cbody&label-col=queue&priority-col=urgency']);
    expect(c.err[0]).toMatch(/answered 500/);
  });
});
