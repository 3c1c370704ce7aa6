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

  it('turns console sign-in with an identity provider on with its issuer, client id and secret, and PUBLIC_URL', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
    const oidc = { CHATDESK_OIDC_ISSUER: 'https://login.example.com/realms/staff', CHATDESK_OIDC_CLIENT_ID: 'chatdesk', CHATDESK_OIDC_CLIENT_SECRET: 's3cret' };
    expect(loadConfig({ ...oidc, PUBLIC_URL: 'https://desk.example.com' }).oidc).toEqual({
      issuer: 'https://login.example.com/realms/staff',
      clientId: 'chatdesk',
      clientSecret: 's3cret',
      name: 'SSO',
      scopes: ['openid', 'email', 'profile'],
      emailClaim: 'email',
      requireVerifiedEmail: true,
      unknownPeople: 'requester',
    });
    const tuned = loadConfig({
      ...oidc,
      PUBLIC_URL: 'https://desk.example.com',
      CHATDESK_OIDC_NAME: 'Okta',
      CHATDESK_OIDC_SCOPES: 'openid email groups',
      CHATDESK_OIDC_EMAIL_CLAIM: 'upn',
      CHATDESK_OIDC_REQUIRE_EMAIL_VERIFIED: 'false',
      CHATDESK_OIDC_UNKNOWN_PEOPLE: 'refuse',
    }).oidc;
    expect(tuned).toMatchObject({
      name: 'Okta',
      scopes: ['openid', 'email', 'groups'],
      emailClaim: 'upn',
      requireVerifiedEmail: false,
      unknownPeople: 'refuse',
    });
    expect(problems(oidc)).toMatch(/PUBLIC_URL: required when CHATDESK_OIDC_ISSUER is set/);
    expect(problems({ CHATDESK_OIDC_ISSUER: oidc.CHATDESK_OIDC_ISSUER, PUBLIC_URL: 'https://desk.example.com' })).toMatch(
      /CHATDESK_OIDC_CLIENT_SECRET: required when CHATDESK_OIDC_ISSUER is set/,
    );
    expect(problems({ ...oidc, PUBLIC_URL: 'https://desk.example.com', CHATDESK_OIDC_ISSUER: 'http://login.example.com' })).toMatch(
      /CHATDESK_OIDC_ISSUER: expected an https URL \(http only for a provider on this machine\)/,
    );
    expect(loadConfig({ ...oidc, PUBLIC_URL: 'http://127.0.0.1:3000', CHATDESK_OIDC_ISSUER: 'http://127.0.0.1:8080' }).oidc?.issuer).toBe(
      'http://127.0.0.1:8080',
    );
    expect(problems({ ...oidc, PUBLIC_URL: 'https://desk.example.com', CHATDESK_OIDC_SCOPES: 'email profile' })).toMatch(
      /CHATDESK_OIDC_SCOPES: expected scopes that include openid/,
    );
    expect(problems({ ...oidc, PUBLIC_URL: 'https://desk.example.com', CHATDESK_OIDC_UNKNOWN_PEOPLE: 'admin' })).toMatch(
      /CHATDESK_OIDC_UNKNOWN_PEOPLE: expected requester or refuse/,
    );
  });
});
