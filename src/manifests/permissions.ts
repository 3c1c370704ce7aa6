/**
 * What chatdesk asks each platform for, and why (the manifests are generated
 * from this and COMMANDS). Keep it to what the adapters call.
 */
export const PERMISSIONS = {
  slack: {
    /**
     * commands: /ticket; chat:write(.public): cards and replies; im:write: conversations.open for DMs;
     * im:history: requesters' replies in the bot's DM (message.im), and finding a DM posted before a crash;
     * channels:history, groups:history: finding a card posted before a crash (Slack has no idempotency key);
     * also reading the message a ticket emoji was put on, and agents' `>>` replies in card threads (message.channels, message.groups);
     * users:read: display names; usergroups:read: members of the user groups the desk file names as agents or managers;
     * reactions:read: the ticket emoji (reaction_added).
     */
    botScopes: [
      'commands',
      'chat:write',
      'chat:write.public',
      'im:write',
      'im:history',
      'channels:history',
      'groups:history',
      'users:read',
      'usergroups:read',
      'reactions:read',
    ],
    /** Requesters answer in their ticket's DM thread; agents answer them in the card's thread (`>>`); the ticket emoji opens a ticket. */
    botEvents: ['message.im', 'message.channels', 'message.groups', 'reaction_added'],
  },
  teams: {
    /** 1:1 chats (requester threads, escalation DMs), the agents' team channel, and group chats. */
    botScopes: ['personal', 'team', 'groupChat'],
  },
  discord: {
    /** OAuth2 install scopes: the bot user and its application (slash) commands. */
    installScopes: ['bot', 'applications.commands'],
    /**
     * Bot permissions in the agents' channel (bit positions from Discord's permission
     * flags): View Channel, Send Messages, Embed Links, Read Message History,
     * Create Public Threads, Send Messages in Threads.
     */
    permissionBits: [10, 11, 14, 16, 35, 38],
  },
  feishu: {
    /** Receive DMs and @mentions, send and update (patch) messages as the bot, read names, read the user groups named as agents or managers. */
    scopes: [
      'im:message',
      'im:message.p2p_msg:readonly',
      'im:message.group_at_msg:readonly',
      'im:message:send_as_bot',
      'im:message:update',
      'contact:user.base:readonly',
      'contact:group:readonly',
    ],
    /** Messages to the bot (text commands, `>>` lines in card threads), the ticket emoji, and the bot menu (opens the form). */
    events: ['im.message.receive_v1', 'im.message.reaction.created_v1', 'application.bot.menu_v6'],
  },
} as const;

/** Discord permission integer (as the string Discord's APIs use) from bit positions. */
export function discordPermissions(bits: readonly number[]): string {
  return bits.reduce((acc, bit) => acc | (1n << BigInt(bit)), 0n).toString();
}
