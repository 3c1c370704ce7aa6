import type { SlackEmulator } from '../emulators/slack';

/** The environment that points chatdesk's Slack integration at the emulator, with `agents` as the agent channel. */
export function slackEnv(emu: SlackEmulator, agents: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: emu.botToken,
    SLACK_SIGNING_SECRET: emu.signingSecret,
    SLACK_API_URL: emu.apiUrl,
    SLACK_AGENT_CHANNEL: agents,
  };
}
