import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ChatdeskError } from '../domain/errors';
import { defaultDeskConfig } from './default-desk-config';
import { type DeskConfig, deskConfigSchema } from './desk-config.schema';
import { type Env, envSchema } from './env.schema';

export interface AppConfig {
  env: Env;
  desk: DeskConfig;
  /** Slack is on when its credentials are set. */
  slack?: { botToken: string; signingSecret: string; apiUrl: string };
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
  if (env.SLACK_AGENT_CHANNEL) {
    const team = desk.teams.find((t) => t.id === desk.defaultTeam);
    if (team && !team.agentChannels.slack) team.agentChannels.slack = env.SLACK_AGENT_CHANNEL;
  }

  const slack =
    env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET
      ? { botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, apiUrl: env.SLACK_API_URL }
      : undefined;
  if (slack && !desk.teams.some((t) => t.agentChannels.slack)) {
    throw new ChatdeskError(
      'chatdesk_config_invalid',
      'Invalid configuration:\n  SLACK_AGENT_CHANNEL: required when Slack is on (or set teams[].agentChannels.slack in CHATDESK_CONFIG)',
    );
  }
  return { env, desk, slack, playground: env.CHATDESK_PLAYGROUND ?? !slack };
}
