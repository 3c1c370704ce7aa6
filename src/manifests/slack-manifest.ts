import { COMMANDS } from '../core/commands';
import { endpoint, ROUTES } from './endpoints';
import { PERMISSIONS } from './permissions';

/** Slack app manifest (schema v1): the slash command and interactivity both post to /slack/events. */
export function slackManifest(publicUrl: string): Record<string, unknown> {
  const url = endpoint(publicUrl, ROUTES.slack);
  const subs = Object.values(COMMANDS.sub).map((s) => s.words[0]);
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'chatdesk',
      description: `Help desk in Slack: /${COMMANDS.name} to ask, agents claim and resolve from their channel.`,
      background_color: '#2f6fed',
      long_description:
        `chatdesk turns requests into tickets where people already talk. Type /${COMMANDS.name} (with or without text) to open a ticket; follow it in your DM with the bot. ` +
        'Agents see a card for every new ticket in their channel and claim, assign, resolve or escalate it with one click. ' +
        'Tickets are classified by category and priority automatically. chatdesk is open source and self-hosted: your tickets stay in your own database.',
    },
    features: {
      bot_user: { display_name: 'chatdesk', always_online: true },
      // Requesters write to the bot in its Messages tab (their ticket threads live there).
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      slash_commands: [
        {
          command: `/${COMMANDS.name}`,
          url,
          description: COMMANDS.description.en,
          usage_hint: `[what is wrong | ${subs.join(' | ')}] (empty opens the form)`,
          should_escape: false,
        },
      ],
      // Message → ticket: in every message's "More actions" menu.
      shortcuts: [
        { name: COMMANDS.fromMessage.label.en, type: 'message', callback_id: COMMANDS.fromMessage.id, description: COMMANDS.fromMessage.description.en },
      ],
    },
    oauth_config: { scopes: { bot: [...PERMISSIONS.slack.botScopes] } },
    settings: {
      interactivity: { is_enabled: true, request_url: url },
      event_subscriptions: { request_url: url, bot_events: [...PERMISSIONS.slack.botEvents] },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}
