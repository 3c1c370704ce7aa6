import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ChatdeskError } from '../domain/errors';
import { defaultDeskConfig } from './default-desk-config';
import { type DeskConfig, deskConfigSchema } from './desk-config.schema';
import { type Env, envSchema } from './env.schema';
import { loadSlaConfig } from './sla-config';
import type { SlaConfig } from '../domain/sla/policy';
import { type DiscordConfig, discordConfigFromEnv } from './platforms/discord.env';
import { type FeishuConfig, feishuConfigFromEnv } from './platforms/feishu.env';
import { type EmailConfig, emailConfigFromEnv } from './platforms/email.env';
import { type OidcConfig, oidcConfigFromEnv } from './platforms/oidc.env';
import { type OpenAiConfig, openaiConfigFromEnv } from './platforms/openai.env';
import { type TeamsConfig, teamsConfigFromEnv } from './platforms/teams.env';

export interface AppConfig {
  env: Env;
  desk: DeskConfig;
  /** Slack is on when its credentials are set. */
  slack?: { botToken: string; signingSecret: string; apiUrl: string; workspace: { teamId?: string; enterpriseId?: string } };
  /** Teams, Discord and Feishu are on when their credentials are set. */
  teams?: TeamsConfig;
  discord?: DiscordConfig;
  feishu?: FeishuConfig;
  /** Email intake is on when CHATDESK_IMAP_URL, CHATDESK_SMTP_URL and CHATDESK_EMAIL_FROM are set. */
  email?: EmailConfig;
  /** Validated SLA policies, calendars and escalation chains. */
  sla: SlaConfig;
  /** The LLM is used when OPENAI_API_KEY is set; otherwise the offline classifier does the job alone. */
  openai?: OpenAiConfig;
  /** Console sign-in with the company's identity provider, beside the messenger's link: on when CHATDESK_OIDC_ISSUER is set. */
  oidc?: OidcConfig;
  playground: boolean;
}

function describeIssues(issues: z.core.$ZodIssue[], prefix = ''): string[] {
  return issues.map((i) => `${prefix}${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}

/**
 * Reads and validates all configuration once at start-up. Any problem stops
 * the process with a message naming every variable or setting to fix.
 */
export function loadConfig(rawEnv: Record<string, string | undefined> = process.env): AppConfig {
  const parsedEnv = envSchema.safeParse(rawEnv);
  if (!parsedEnv.success) {
    const lines = describeIssues(parsedEnv.error.issues);
    throw new ChatdeskError('chatdesk_config_invalid', `Invalid configuration:\n  ${lines.join('\n  ')}`, { problems: lines });
  }
  const env = parsedEnv.data;

  let rawDesk: unknown = defaultDeskConfig;
  if (env.CHATDESK_CONFIG) {
    try {
      rawDesk = JSON.parse(readFileSync(env.CHATDESK_CONFIG, 'utf8'));
    } catch (err) {
      throw new ChatdeskError(
        'chatdesk_config_invalid',
        `Invalid configuration:\n  CHATDESK_CONFIG: cannot read ${env.CHATDESK_CONFIG} as JSON (${(err as Error).message})`,
      );
    }
  }
  const parsedDesk = deskConfigSchema.safeParse(rawDesk);
  if (!parsedDesk.success) {
    const lines = describeIssues(parsedDesk.error.issues, 'CHATDESK_CONFIG ');
    throw new ChatdeskError('chatdesk_config_invalid', `Invalid configuration:\n  ${lines.join('\n  ')}`, { problems: lines });
  }
  const desk = parsedDesk.data;
  const slack =
    env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET
      ? {
          botToken: env.SLACK_BOT_TOKEN,
          signingSecret: env.SLACK_SIGNING_SECRET,
          apiUrl: env.SLACK_API_URL,
          workspace: {
            ...(env.SLACK_TEAM_ID ? { teamId: env.SLACK_TEAM_ID } : {}),
            ...(env.SLACK_ENTERPRISE_ID ? { enterpriseId: env.SLACK_ENTERPRISE_ID } : {}),
          },
        }
      : undefined;
  const teams = teamsConfigFromEnv(env);
  const discord = discordConfigFromEnv(env);
  const feishu = feishuConfigFromEnv(env);

  // Each messenger that is on needs an agent channel: from its variable (for the default team) or from the desk config.
  const defaultTeam = desk.teams.find((t) => t.id === desk.defaultTeam);
  const messengers = [
    { platform: 'slack', name: 'Slack', on: !!slack, channel: env.SLACK_AGENT_CHANNEL, variable: 'SLACK_AGENT_CHANNEL' },
    { platform: 'teams', name: 'Teams', on: !!teams, channel: env.TEAMS_AGENT_CHANNEL, variable: 'TEAMS_AGENT_CHANNEL' },
    { platform: 'discord', name: 'Discord', on: !!discord, channel: env.DISCORD_AGENT_CHANNEL, variable: 'DISCORD_AGENT_CHANNEL' },
    { platform: 'feishu', name: 'Feishu', on: !!feishu, channel: env.FEISHU_AGENT_CHAT, variable: 'FEISHU_AGENT_CHAT' },
  ] as const;
  const problems: string[] = [];
  for (const m of messengers) {
    if (m.channel && defaultTeam && !defaultTeam.agentChannels[m.platform]) defaultTeam.agentChannels[m.platform] = m.channel;
  }
  // Agents may work on another messenger than requesters (requesters on Teams, agents on Slack), but
  // some messenger that is on must carry an agent channel, or no card would ever be posted.
  const on = messengers.filter((m) => m.on);
  if (on.length > 0 && !on.some((m) => desk.teams.some((t) => t.agentChannels[m.platform]))) {
    for (const m of on) problems.push(`${m.variable}: required when ${m.name} is on (or set teams[].agentChannels.${m.platform} in CHATDESK_CONFIG)`);
  }
  if (problems.length > 0) throw new ChatdeskError('chatdesk_config_invalid', `Invalid configuration:\n  ${problems.join('\n  ')}`, { problems });
  const anyMessenger = !!(slack || teams || discord || feishu);
  const sla = loadSlaConfig(desk);
  return {
    env,
    desk,
    sla,
    slack,
    teams,
    discord,
    feishu,
    email: emailConfigFromEnv(env),
    openai: openaiConfigFromEnv(env),
    oidc: oidcConfigFromEnv(env),
    playground: env.CHATDESK_PLAYGROUND ?? !anyMessenger,
  };
}
