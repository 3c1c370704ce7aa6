import type { DeskConfig } from '../config/desk-config.schema';
import { COMMANDS } from '../core/commands';
import { localize } from '../core/i18n';
import { endpoint, ROUTES } from './endpoints';
import { discordPermissions, PERMISSIONS } from './permissions';

/** Discord's numeric enums (ApplicationCommandType.ChatInput, ApplicationCommandOptionType.String). */
const CHAT_INPUT = 1;
/** ApplicationCommandType.Message: the message's context menu (Apps → …). */
const MESSAGE_COMMAND = 3;
const STRING_OPTION = 3;
/** The option that picks the form's ticket type (Discord modals cannot hold a select menu). */
export const DISCORD_TYPE_OPTION = 'type';
/** Discord's locale ids that get the Chinese texts. */
const zh = (text: string) => ({ 'zh-CN': text, 'zh-TW': text });
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The application commands: `/ticket [text] [type]` from the one command
 * description (sub-commands are typed as text: `/ticket help`), and `type`
 * lists the desk's ticket types (it opens the form for that type).
 */
export function discordCommands(desk: DeskConfig): Array<Record<string, unknown>> {
  return [
    {
      type: CHAT_INPUT,
      name: COMMANDS.name,
      description: COMMANDS.description.en,
      description_localizations: zh(COMMANDS.description.zh),
      options: [
        {
          type: STRING_OPTION,
          name: COMMANDS.textOption.name,
          description: COMMANDS.textOption.description.en,
          description_localizations: zh(COMMANDS.textOption.description.zh),
          required: false,
          max_length: 4000,
        },
        {
          type: STRING_OPTION,
          name: DISCORD_TYPE_OPTION,
          description: 'Open the form for this kind of ticket',
          description_localizations: zh('打开该类型的工单表单'),
          required: false,
          choices: desk.ticketTypes.slice(0, 25).map((tt) => ({
            name: clip(localize(tt.name, 'en'), 100),
            name_localizations: zh(clip(localize(tt.name, 'zh'), 100)),
            value: tt.id,
          })),
        },
      ],
    },
    // Message → ticket: a message command has a name (what the menu shows) and no description or options.
    { type: MESSAGE_COMMAND, name: COMMANDS.fromMessage.label.en, name_localizations: zh(COMMANDS.fromMessage.label.zh) },
  ];
}

/** Everything to set in the Discord developer portal, plus the commands to register. */
export function discordSettings(opts: { publicUrl: string; desk: DeskConfig }): Record<string, unknown> {
  return {
    interactions_endpoint_url: endpoint(opts.publicUrl, ROUTES.discord),
    install: { scopes: [...PERMISSIONS.discord.installScopes], permissions: discordPermissions(PERMISSIONS.discord.permissionBits) },
    commands: discordCommands(opts.desk),
  };
}
