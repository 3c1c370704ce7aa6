import fs from 'node:fs';
import { startTeamsEmulator, type TeamsEmulator } from './index';
import { checkAdaptiveCard, TEAMS_MANIFEST_SCHEMA } from './schema';

const picker = { type: 'Input.ChoiceSet', id: 'assignee', choices: [], 'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' } };
const card = (body: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'AdaptiveCard', version: '1.5', body, ...extra });

describe('Teams emulator', () => {
  let emu: TeamsEmulator;
  beforeAll(async () => {
    emu = await startTeamsEmulator();
    emu.addUser({ id: '29:1dana', name: 'Dana Doe' });
    emu.addChannel('19:c@thread.tacv2', 'C');
  });
  afterAll(() => emu.close());

  const token = async (secret = emu.appPassword) => {
    const res = await fetch(`${emu.loginUrl}/${emu.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emu.appId,
        client_secret: secret,
        scope: 'https://api.botframework.com/.default',
      }),
    });
    return { status: res.status, json: (await res.json()) as { access_token?: string; error?: string } };
  };
  const connector = async (path: string, body: unknown, bearer?: string) => {
    const res = await fetch(`${emu.serviceUrl}v3/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> };
  };

  it('checks cards against the official Adaptive Card 1.5 schema, with the Teams people picker allowed', () => {
    expect(
      checkAdaptiveCard(card([{ type: 'TextBlock', text: 'hi' }, picker], { actions: [{ type: 'Action.Execute', verb: 'claim', title: 'Claim', data: {} }] })),
    ).toEqual([]);
    expect(checkAdaptiveCard(card([{ type: 'TextBlok', text: 'typo' }])).join()).toMatch(/card: /);
    expect(checkAdaptiveCard(card([{ type: 'TextBlock', text: 'x' }], { msteams: { width: 'Full' } })).join()).toMatch(/additional properties \(msteams\)/);
    expect(checkAdaptiveCard(card([{ ...picker, 'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/groups' } }])).join()).toMatch(
      /not the Teams people picker/,
    );
    expect(checkAdaptiveCard(card([{ type: 'TextBlock', text: 'x' }], { version: '1.6' })).join()).toMatch(/Teams renders up to 1.5/);
  });

  it('has the official Teams app manifest schema at hand for the manifest', () => {
    const schema = JSON.parse(fs.readFileSync(TEAMS_MANIFEST_SCHEMA, 'utf8')) as { $schema: string; properties: Record<string, any> };
    expect(schema.$schema).toMatch(/draft-04/);
    expect(Object.keys(schema.properties.bots.items.properties)).toEqual(expect.arrayContaining(['botId', 'scopes', 'commandLists']));
  });

  it('issues bot tokens for the app credentials only, and the Bot Connector requires one', async () => {
    expect((await token('wrong')).json.error).toBe('invalid_client');
    const good = await token();
    expect(good.status).toBe(200);
    expect((await connector('conversations/19:c@thread.tacv2/activities', { type: 'message', text: 'hi' })).status).toBe(401);
    expect((await connector('conversations/19:c@thread.tacv2/activities', { type: 'message', text: 'hi' }, good.json.access_token)).status).toBe(201);
  });

  it('refuses a 1:1 chat with someone who does not have the app, the way Teams does', async () => {
    const { json } = await token();
    const create = () => connector('conversations', { isGroup: false, members: [{ id: '29:1dana' }], tenantId: emu.tenantId }, json.access_token);
    const chat = await create();
    expect(chat.status).toBe(201);
    emu.blockDirectMessages('29:1dana');
    const refused = await create();
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('BotNotInConversationRoster');
    expect((await connector(`conversations/${chat.json.id}/activities`, { type: 'message', text: 'hi' }, json.access_token)).status).toBe(403);
  });

  it('injects 429 with Retry-After and records the call', async () => {
    emu.failNext('activities.create', { status: 429, retryAfterSec: 2 });
    const res = await connector('conversations/19:c@thread.tacv2/activities', { type: 'message', text: 'hi' }, (await token()).json.access_token);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(emu.callsTo('activities.create').at(-1)?.status).toBe(429);
  });
});
