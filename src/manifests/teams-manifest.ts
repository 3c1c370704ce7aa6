import { COMMANDS } from '../core/commands';
import { PERMISSIONS } from './permissions';

export const TEAMS_MANIFEST_VERSION = '1.20';
/** Stands in for the Azure bot's app id in the committed manifest (`--app-id` or TEAMS_APP_ID replace it). */
export const PLACEHOLDER_APP_ID = '00000000-0000-0000-0000-000000000000';
export const TEAMS_ICONS = { color: 'color.png', outline: 'outline.png' } as const;

const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

/**
 * Teams has no slash commands: the command list inserts its title as a message,
 * which the bot parses like any typed command (`ticket help` …).
 */
export function teamsCommandList(): Array<{ title: string; description: string }> {
  return [
    {
      title: COMMANDS.name,
      description: `${COMMANDS.description.en}: ${COMMANDS.name} <${COMMANDS.textOption.description.en.toLowerCase()}>, or alone for the form`,
    },
    // Agent commands take a ticket key and text: they are documented in help, not suggested to everyone.
    ...Object.values(COMMANDS.sub)
      .filter((s) => !('agent' in s) && !('target' in s))
      .map((s) => ({ title: `${COMMANDS.name} ${s.words[0]}`, description: s.description.en })),
  ];
}

/**
 * Teams app package manifest (schema 1.20, the Teams SDK templates' version).
 * The messaging endpoint is not in it: it is set on the Azure Bot resource.
 */
export function teamsManifest(opts: { publicUrl: string; appId: string; version: string }): Record<string, unknown> {
  if (!GUID.test(opts.appId)) throw new Error(`the Teams app id must be the bot's Microsoft App ID (a GUID), got "${opts.appId}"`);
  const site = new URL(opts.publicUrl);
  if (site.protocol !== 'https:') throw new Error(`Teams needs an https public URL, got ${opts.publicUrl}`);
  const home = site.toString();
  return {
    $schema: `https://developer.microsoft.com/en-us/json-schemas/teams/v${TEAMS_MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: TEAMS_MANIFEST_VERSION,
    version: opts.version,
    id: opts.appId,
    developer: { name: 'chatdesk', websiteUrl: home, privacyUrl: home, termsOfUseUrl: home },
    name: { short: 'chatdesk', full: 'chatdesk help desk' },
    description: {
      short: `${COMMANDS.description.en} without leaving Teams.`,
      full:
        `Type "${COMMANDS.name}" and what is wrong to open a ticket, or "${COMMANDS.name}" alone for the form; follow it in your chat with the bot. ` +
        'Agents get a card for every new ticket in their channel and claim, assign, resolve or escalate it there. Open source and self-hosted.',
    },
    icons: { ...TEAMS_ICONS },
    accentColor: '#2F6FED',
    bots: [
      {
        botId: opts.appId,
        scopes: [...PERMISSIONS.teams.botScopes],
        isNotificationOnly: false,
        supportsFiles: false,
        commandLists: [{ scopes: [...PERMISSIONS.teams.botScopes], commands: teamsCommandList() }],
      },
    ],
    // Message → ticket: an action command in every message's "More actions" menu.
    composeExtensions: [
      {
        botId: opts.appId,
        commands: [
          {
            id: COMMANDS.fromMessage.id,
            type: 'action',
            title: COMMANDS.fromMessage.label.en,
            description: COMMANDS.fromMessage.description.en,
            context: ['message'],
            fetchTask: true,
          },
        ],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [site.host],
  };
}
