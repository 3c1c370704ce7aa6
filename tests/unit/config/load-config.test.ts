import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { isChatdeskError } from '../../../src/domain/errors';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (isChatdeskError(err, 'chatdesk_config_invalid')) return err.message;
    throw err;
  }
  throw new Error('expected the configuration to be refused');
};

describe('configuration', () => {
  it('runs with no variables at all: embedded database, playground on, Slack off', () => {
    const c = loadConfig({});
    expect(c.env.PORT).toBe(3000);
    expect(c.env.MONGODB_URI).toBeUndefined();
    expect(c.slack).toBeUndefined();
    expect(c.playground).toBe(true);
    expect(c.env.SLACK_API_URL).toBe('https://slack.com/api/');
  });

  it('names each malformed variable', () => {
    const msg = problems({ PORT: 'eighty', MONGODB_URI: 'postgres://x', SLACK_API_URL: 'ftp://x', LOG_LEVEL: 'loud' });
    expect(msg).toMatch(/PORT: expected a port number/);
    expect(msg).toMatch(/MONGODB_URI: expected a mongodb:\/\//);
    expect(msg).toMatch(/SLACK_API_URL: expected an http\(s\) URL/);
    expect(msg).toMatch(/LOG_LEVEL/);
  });

  it('requires Slack variables together, and an agent channel', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set/);
    expect(problems({ SLACK_SIGNING_SECRET: 's' })).toMatch(/SLACK_BOT_TOKEN: required/);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxp-1', SLACK_SIGNING_SECRET: 's' })).toMatch(/SLACK_BOT_TOKEN: expected a bot token/);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toMatch(/SLACK_AGENT_CHANNEL: required when Slack is on/);
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_AGENT_CHANNEL: 'C1', SLACK_API_URL: 'http://127.0.0.1:9/api' });
    expect(c.slack).toEqual({ botToken: 'xoxb-1', signingSecret: 's', apiUrl: 'http://127.0.0.1:9/api/', workspace: {} });
    expect(c.desk.teams[0]!.agentChannels.slack).toBe('C1');
    expect(c.playground).toBe(false);
  });

  it('loads ticket types and teams from CHATDESK_CONFIG and names what is wrong in it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'chatdesk-config-'));
    const file = path.join(dir, 'desk.json');
    const desk = {
      defaultTeam: 'ops',
      defaultType: 'hw',
      teams: [{ id: 'ops', name: 'Ops', agentChannels: { playground: 'agents' } }],
      ticketTypes: [{ id: 'hw', name: 'Hardware', fields: [{ id: 'asset_tag', label: 'Asset tag', kind: 'text', required: true }] }],
    };
    writeFileSync(file, JSON.stringify(desk));
    expect(loadConfig({ CHATDESK_CONFIG: file }).desk.ticketTypes[0]!.fields[0]!.id).toBe('asset_tag');

    writeFileSync(
      file,
      JSON.stringify({ ...desk, defaultType: 'nope', ticketTypes: [{ id: 'hw', name: 'H', fields: [{ id: 'x', label: 'X', kind: 'select' }] }] }),
    );
    const msg = problems({ CHATDESK_CONFIG: file });
    expect(msg).toMatch(/CHATDESK_CONFIG defaultType: no ticket type with id "nope"/);
    expect(msg).toMatch(/CHATDESK_CONFIG ticketTypes\.0\.fields\.0\.options: a select field needs options/);

    writeFileSync(file, '{ not json');
    expect(problems({ CHATDESK_CONFIG: file })).toMatch(/CHATDESK_CONFIG: cannot read .* as JSON/);
  });
});
