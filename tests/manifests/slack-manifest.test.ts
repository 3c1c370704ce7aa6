/** The Slack app manifest in manifests/ is valid against Slack's published manifest schema. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { SLACK_EVENTS_PATH } from '../../src/adapters/slack/slack-app';
import { FORM_CALLBACK_ID } from '../../src/adapters/slack/form-modal';
import { fixturePath } from '../support/fixtures';

const SCHEMAS = fixturePath('schemas/slack/app-manifest');
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, any>;

describe('Slack app manifest', () => {
  const manifest = readJson(path.resolve(__dirname, '../../manifests/slack.json'));

  const compile = () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const remote = 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/';
    for (const v of ['1.0.0', '2.0.0']) {
      const schema = readJson(path.join(SCHEMAS, 'schemas', `manifest.schema.${v}.json`));
      ajv.addSchema(schema, `${remote}manifest.schema.${v}.json`);
    }
    return ajv.compile(readJson(path.join(SCHEMAS, 'manifest.schema.json')));
  };

  it('validates against the official manifest schema', () => {
    const validate = compile();
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is checked for real: a broken manifest is refused', () => {
    const validate = compile();
    expect(validate({ ...manifest, features: { ...manifest.features, slash_commands: [{ command: 'ticket' }] } })).toBe(false);
  });

  it('points commands and interactivity at the endpoint the app serves, with the scopes the bot uses', () => {
    expect(new URL(manifest.features.slash_commands[0].url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(manifest.features.slash_commands[0].command).toBe('/ticket');
    // chat.postMessage/update, conversations.open (DM), users.info (names), slash command
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'im:write', 'users:read']));
    expect(FORM_CALLBACK_ID).toBe('chatdesk_new_ticket');
  });
});
