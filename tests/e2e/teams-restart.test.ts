/**
 * What Teams tells chatdesk about a conversation (its service URL, the
 * person's 1:1 chat and tenant) is stored: after a restart, and from any
 * replica, a DM to someone seen before goes to the same service and chat.
 */
import type { Chatdesk } from '../../src/app';
import { startTeamsEmulator, type TeamsEmulator, type TeamsUser } from '../emulators/teams';
import { sendMessage } from '../emulators/teams/inbound';
import { startTestApp } from '../support/test-app';
import { teamsEnv } from '../support/teams-env';
import { testMongoUri } from '../support/test-db';

const AGENTS = '19:agents-restart@thread.tacv2';
const GENERAL = '19:general-restart@thread.tacv2';

describe('Teams: conversation state survives a restart', () => {
  let emu: TeamsEmulator;
  let app: Chatdesk | undefined;
  let alice: TeamsUser;
  let env: Record<string, string>;

  beforeAll(async () => {
    emu = await startTeamsEmulator();
    alice = emu.addUser({ id: '29:1alice', name: 'Alice Requester' });
    emu.addChannel(AGENTS, 'Agents');
    emu.addChannel(GENERAL, 'General');
    env = { ...teamsEnv(emu, AGENTS), MONGODB_URI: testMongoUri('teams-restart') };
  });

  afterAll(async () => {
    await app?.stop();
    await emu?.close();
  });

  it('a DM after a restart reaches the person in the chat opened before, through the service URL Teams gave', async () => {
    app = await startTestApp(env);
    await sendMessage(emu, `${app.url}/teams/messages`, alice, { channel: GENERAL }, 'ticket Laptop fan is loud');
    await app.intake.idle();
    await app.desk.notifier.direct({ platform: 'teams', id: alice.id }, { text: 'first DM' });
    const chatsBefore = emu.callsTo('conversations.create').length;
    await app.stop();

    // A new process: nothing in memory; no inbound activity has told it the service URL yet.
    app = await startTestApp(env);
    await app.desk.notifier.direct({ platform: 'teams', id: alice.id }, { text: 'after the restart' });
    expect(emu.callsTo('conversations.create')).toHaveLength(chatsBefore); // the stored 1:1 chat, not a new one
    const texts = emu.privateTexts(alice.id).map((p) => p.text);
    expect(texts).toContain('first DM');
    expect(texts).toContain('after the restart');
  });
});
