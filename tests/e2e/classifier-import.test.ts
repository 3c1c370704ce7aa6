/**
 * A team teaches the offline classifier its own taxonomy: an admin imports a
 * labelled history into the running desk, agents' recategorisations are new
 * examples, and a second process on the same database picks them up.
 * Real chatdesk, real (embedded) database.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Chatdesk } from '../../src/app';
import { main, defaultIo, type CliIo } from '../../src/ai/cli';
import { startTestApp } from '../support/test-app';
import { testMongoUri } from '../support/test-db';

const TOKEN = 'e2e-admin-token-5f1c7a0d9b';

const HISTORY_CSV = [
  'id,title,description,category,priority',
  "H-1,Payslip is wrong,My overtime hours are missing from this month's payslip,payroll,P2",
  'H-2,Salary not paid,"My salary has not arrived in my bank account,\nit is the 3rd already",payroll,P1',
  'H-3,Tax deduction on payslip,The income tax withheld on my payslip looks too high,payroll,P3',
  'H-4,Bonus missing,The annual bonus was not included in the payroll run,payroll,P2',
  'H-5,工资条有误,这个月工资条上的加班费算错了,payroll,P2',
  'H-6,工资没到账,本月工资还没有发到我的银行卡,payroll,P1',
  'H-7,VPN keeps disconnecting,The VPN drops every few minutes when I work from home,vpn,P2',
  'H-8,Cannot connect to VPN,VPN client says authentication failed when connecting from the hotel,vpn,P1',
  'H-9,VPN very slow,Remote access through the VPN tunnel is extremely slow today,vpn,P3',
  'H-10,VPN down for everyone,Nobody can connect to the VPN gateway,vpn,P0',
  'H-11,VPN连不上,在家用VPN连接公司内网一直失败,vpn,P1',
  'H-12,VPN经常掉线,VPN隔几分钟就断开一次,vpn,P2',
  'H-13,Lost my badge,I lost my access badge on the train and need a new one,badge,P2',
  'H-14,Badge does not open the door,My badge is rejected by the reader at the main entrance,badge,P1',
  'H-15,Visitor badge,Please print a visitor badge for a guest arriving tomorrow,badge,P3',
  'H-16,Badge photo,My badge photo is outdated and I would like a new badge,badge,P3',
  'H-17,工牌丢了,我的工牌丢了，需要补办一张新的工牌,badge,P2',
  'H-18,工牌刷不开门,我的工牌在门口刷卡没有反应,badge,P1',
].join('\n');

/** Line 5 has a priority the desk does not know (line 3 is the 2nd line of a quoted field). */
const BAD_CSV = [
  'title,description,category,priority',
  'Salary not paid,"It has not arrived,',
  'still nothing",payroll,P1',
  'VPN down,nobody can connect,vpn,P0',
  'Lost badge,need a new one,badge,whenever',
  'Badge photo,outdated photo,badge,P3',
].join('\n');

const post = (app: Chatdesk, pathAndQuery: string, body: string, token: string | null = TOKEN) =>
  fetch(`${app.url}${pathAndQuery}`, { method: 'POST', headers: { 'content-type': 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });

async function open(app: Chatdesk, text: string) {
  const res = await fetch(`${app.url}/api/playground/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'alice', name: 'Alice', text }),
  });
  expect(res.status).toBe(201);
  const { ticket } = (await res.json()) as { ticket: { id: string; key: string } };
  const found = await app.desk.findTicket(ticket.key);
  return found!;
}

const examples = (app: Chatdesk) => app.store.connection.collection('training_examples');

function capture(env: Record<string, string>): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { ...defaultIo, env, stdout: (l) => out.push(l), stderr: (l) => err.push(l) }, out, err };
}

describe('teaching the classifier the team taxonomy', () => {
  const uri = testMongoUri('classifier-import');
  let app: Chatdesk;
  let second: Chatdesk | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'chatdesk-import-'));
    app = await startTestApp({ MONGODB_URI: uri, CHATDESK_ADMIN_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await second?.stop();
    await app?.stop();
  });

  it('starts on the seed taxonomy', async () => {
    expect((await open(app, 'VPN keeps disconnecting every few minutes from home')).category).toBe('network');
    expect(app.liveClassifier.status()).toMatchObject({ taxonomy: 'seed' });
  });

  it('refuses an import without the right bearer token, and stores nothing', async () => {
    for (const token of [null, 'wrong-token-wrong-token', `${TOKEN}x`]) {
      const res = await post(app, '/admin/classifier/import?format=csv', HISTORY_CSV, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toEqual({ error: expect.stringMatching(/^unauthorized/) });
    }
    const basic = await fetch(`${app.url}/admin/classifier`, { headers: { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
    await basic.body?.cancel();
    expect(await examples(app).countDocuments()).toBe(0);
  });

  it('refuses a file with one bad row as a whole, naming its line', async () => {
    const res = await post(app, '/admin/classifier/import?format=csv', BAD_CSV);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { ok: boolean; error: string; errors: Array<{ line: number; message: string }> };
    expect(body.ok).toBe(false);
    expect(body.error).toMatch(/nothing was imported/);
    expect(body.errors).toEqual([{ line: 5, message: expect.stringMatching(/unknown priority "whenever"/) }]);
    expect(await examples(app).countDocuments()).toBe(0);
    expect((await open(app, 'VPN keeps disconnecting every few minutes from home')).category).toBe('network');
  });

  it('imports a labelled history, and new tickets get the imported categories (English and Chinese)', async () => {
    const res = await post(app, '/admin/classifier/import?format=csv', HISTORY_CSV);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({
      ok: true,
      rows: 18,
      imported: 18,
      categories: { payroll: 6, vpn: 6, badge: 6 },
      priorities: { P0: 1, P1: 6, P2: 7, P3: 4 },
      unroutedCategories: ['badge', 'payroll', 'vpn'],
      defaultTeam: 'it',
      model: { state: 'trained', taxonomy: 'team', priorities: 'team', categories: ['badge', 'payroll', 'vpn'] },
    });
    expect(body.batchId).toMatch(/^imp_/);
    expect(await examples(app).countDocuments({ batchId: body.batchId, source: 'imported' })).toBe(18);

    expect((await open(app, 'VPN keeps disconnecting every few minutes from home')).category).toBe('vpn');
    expect((await open(app, 'My payslip is missing the overtime I worked')).category).toBe('payroll');
    expect((await open(app, '工资条上的加班费不对')).category).toBe('payroll');
    expect((await open(app, '新来的同事需要一张工牌')).category).toBe('badge');
    const vpnDown = await open(app, 'the VPN is down for everyone, nobody can connect');
    expect(vpnDown.category).toBe('vpn');
    expect(vpnDown.classificationReason).toMatch(/vpn/i);

    const status = await fetch(`${app.url}/admin/classifier`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await status.json()).toMatchObject({ taxonomy: 'team', examples: { imported: 18, recategorized: 0 } });
  });

  it("learns from an agent's recategorisation: stored first, then the next ticket is classified by the retrained model", async () => {
    const first = await open(app, 'The parking barrier does not open for my car');
    expect(first.category).not.toBe('parking');
    const other = await open(app, 'Parking space: the car park gate stays closed when I arrive');
    // A first, wrong recategorisation of the same ticket is replaced by the second (same id).
    await app.learner.learn({ id: first.id, title: first.title, category: 'vpn', priority: 'P3' }, 'recategorized');
    await app.learner.learn({ id: first.id, title: first.title, category: 'parking', priority: 'P3' }, 'recategorized');
    await app.learner.learn({ id: other.id, title: other.title, category: 'parking', priority: 'P3' }, 'recategorized');
    const stored = await examples(app).find({ source: 'recategorized' }).toArray();
    expect(stored.map((d) => [d.exampleId, d.category])).toEqual([
      [first.id, 'vpn'],
      [first.id, 'parking'],
      [other.id, 'parking'],
    ]);

    await app.liveClassifier.idle(); // the debounced retraining
    expect(app.liveClassifier.status()).toMatchObject({ examples: { imported: 18, recategorized: 2 } });
    expect(app.liveClassifier.status().categories).toContain('parking');
    expect((await open(app, 'the parking barrier is stuck and my car cannot get out of the car park')).category).toBe('parking');
  });

  it('a second process on the same database trains on the stored examples and notices new ones', async () => {
    second = await startTestApp({ MONGODB_URI: uri }); // no admin token: no admin endpoint
    const off = await post(second, '/admin/classifier/import?format=csv', HISTORY_CSV);
    expect(off.status).toBe(404);
    await off.body?.cancel();
    expect((await open(second, '在家VPN连不上')).category).toBe('vpn');
    expect((await open(second, 'parking barrier will not lift, car stuck in the car park')).category).toBe('parking');
    expect(await second.liveClassifier.checkForUpdates()).toBe(false);

    await app.learner.learn({ title: 'The coffee machine in the kitchen is leaking water', category: 'kitchen' }, 'recategorized');
    await app.learner.learn({ title: '茶水间的咖啡机漏水了', category: 'kitchen' }, 'recategorized');
    expect(await second.liveClassifier.checkForUpdates()).toBe(true); // what its periodic check does every 30 s
    expect(second.liveClassifier.status().categories).toContain('kitchen');
    expect((await open(second, 'coffee machine in the kitchen leaking again')).category).toBe('kitchen');
  });

  it('imports through the CLI, which prints the answer and exits 1 on row errors', async () => {
    const good = path.join(dir, 'more.jsonl');
    writeFileSync(
      good,
      [
        { subject: 'Badge printer jammed', queue: 'badge' },
        { subject: '访客工牌打印', queue: 'badge' },
        { subject: 'Payroll export failed', queue: 'payroll' },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    const ok = capture({ CHATDESK_ADMIN_TOKEN: TOKEN });
    expect(await main(['import', '--in', good, '--url', app.url, '--text-col', 'subject', '--label-col', 'queue'], ok.io)).toBe(0);
    expect(ok.out.join('\n')).toMatch(/imported 3 examples from 3 rows \(batch imp_/);
    expect(ok.out.join('\n')).toMatch(/categories: badge 2, payroll 1/);
    expect(ok.out.join('\n')).toMatch(/model: your categories .*new tickets use it/);

    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, BAD_CSV);
    const before = await examples(app).countDocuments();
    const refused = capture({ CHATDESK_ADMIN_TOKEN: TOKEN });
    expect(await main(['import', '--in', bad, '--url', app.url], refused.io)).toBe(1);
    expect(refused.err.join('\n')).toMatch(/line 5: unknown priority "whenever"/);

    const wrong = capture({ CHATDESK_ADMIN_TOKEN: 'not-the-token-at-all' });
    expect(await main(['import', '--in', good, '--url', app.url], wrong.io)).toBe(1);
    expect(wrong.err.join('\n')).toMatch(/refused the token/);
    expect(await examples(app).countDocuments()).toBe(before);
  });
});
