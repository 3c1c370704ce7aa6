/**
 * The emulated REST API (/api/v10/...): the routes chatdesk and discord.js
 * use, Discord's error shapes ({ message, code }), 204 with no content type
 * for interaction callbacks, and 429s shaped like Discord's (Retry-After,
 * X-RateLimit-* headers and a JSON `retry_after`).
 */
import type { DiscordApiFailure as Failure, DiscordState, Obj } from './state';
import { DiscordApiFailure } from './state';

export interface RestReply {
  status: number;
  /** undefined: an empty body with no content type (204). */
  body?: unknown;
}

interface RestRoute {
  method: string;
  pattern: RegExp;
  /** Name in the call log and the fault queue. */
  name: string;
  /** Interaction callbacks and webhooks carry their token in the URL and need no bot token. */
  botAuth: boolean;
  run(params: string[], body: Obj, state: DiscordState): RestReply;
}

const ok = (body: unknown, status = 200): RestReply => ({ status, body });

export function restRoutes(gatewayUrl: () => string): RestRoute[] {
  const r = (method: string, path: string, name: string, run: RestRoute['run'], botAuth = true): RestRoute => ({
    method,
    pattern: new RegExp(`^${path.replace(/:\w+/g, '([^/]+)')}$`),
    name,
    botAuth,
    run,
  });
  return [
    r('GET', '/gateway/bot', 'getGatewayBot', () =>
      ok({ url: gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } }),
    ),
    r('GET', '/users/@me', 'getCurrentUser', (_p, _b, s) => ok(s.userObject(s.bot.id))),
    r('POST', '/users/@me/channels', 'createDM', (_p, b, s) => ok(s.channelObject(s.dmChannelFor(String(b.recipient_id))))),
    r('GET', '/users/:user', 'getUser', ([id], _b, s) => {
      if (!s.users.has(id!)) throw new DiscordApiFailure(404, 10013, 'Unknown User');
      return ok(s.userObject(id!));
    }),
    // Guild member (https://discord.com/developers/docs/resources/guild#get-guild-member): roles of one person in the server.
    r('GET', '/guilds/:guild/members/:user', 'getGuildMember', ([g, id], _b, s) => {
      const u = s.users.get(id!);
      if (g !== s.guildId) throw new DiscordApiFailure(404, 10004, 'Unknown Guild');
      if (!u || u.outsideGuild) throw new DiscordApiFailure(404, 10007, 'Unknown Member');
      return ok({
        user: s.userObject(id!),
        nick: null,
        avatar: null,
        roles: [...(u.roles ?? [])],
        joined_at: '2025-01-01T00:00:00.000000+00:00',
        deaf: false,
        mute: false,
        flags: 0,
        pending: false,
      });
    }),
    r('GET', '/channels/:channel', 'getChannel', ([c], _b, s) => ok(s.channelObject(s.channel(c!)))),
    r('POST', '/channels/:channel/messages', 'createMessage', ([c], b, s) => ok(s.createMessage(c!, b))),
    r('GET', '/channels/:channel/messages/:message', 'getMessage', ([c, m], _b, s) => ok(s.findMessage(c!, m!))),
    r('PATCH', '/channels/:channel/messages/:message', 'editMessage', ([c, m], b, s) => ok(s.editMessage(c!, m!, b))),
    r('POST', '/channels/:channel/messages/:message/threads', 'startThread', ([c, m], b, s) => {
      const parent = s.channel(c!);
      if (parent.type !== 0) throw new DiscordApiFailure(400, 50024, 'Cannot execute action on this channel type');
      s.findMessage(c!, m!);
      if (s.channels.has(m!)) throw new DiscordApiFailure(400, 160004, 'A thread has already been created for this message');
      const thread = { id: m!, type: 11 as const, name: String(b.name ?? 'thread'), guildId: parent.guildId, parentId: parent.id };
      s.channels.set(thread.id, thread);
      return ok(s.channelObject(thread), 201);
    }),
    r('PUT', '/applications/:app/guilds/:guild/commands', 'putGuildCommands', ([app, guild], b, s) => putCommands(s, `${app}:${guild}`, b)),
    r('PUT', '/applications/:app/commands', 'putGlobalCommands', ([app], b, s) => putCommands(s, String(app), b)),
    r(
      'POST',
      '/interactions/:id/:token/callback',
      'interactionCallback',
      ([id, token], b, s) => {
        s.respond(s.interaction(id!, token!), b);
        return { status: 204 };
      },
      false,
    ),
    r('PATCH', '/webhooks/:app/:token/messages/@original', 'editOriginal', ([, token], b, s) => ok(s.editOriginal(s.interactionByToken(token!), b)), false),
    r('POST', '/webhooks/:app/:token', 'createFollowup', ([, token], b, s) => ok(s.followUp(s.interactionByToken(token!), b)), false),
  ];
}

function putCommands(s: DiscordState, key: string, body: unknown): RestReply {
  if (!Array.isArray(body)) throw new DiscordApiFailure(400, 50035, 'Invalid Form Body');
  const saved = (body as Obj[]).map((c) => ({ ...c, id: s.snowflake(), application_id: key.split(':')[0], version: s.snowflake() }));
  s.commands.set(key, saved);
  return ok(saved);
}

export function failureReply(err: Failure): RestReply {
  return { status: err.status, body: { message: err.message, code: err.code } };
}

/** Discord's 429: headers and body both say how long to wait. */
export function rateLimitedReply(retryAfterSec: number): { status: number; body: unknown; headers: Record<string, string> } {
  return {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: retryAfterSec, global: false },
    headers: {
      'retry-after': String(Math.ceil(retryAfterSec)),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': ((Date.now() + retryAfterSec * 1000) / 1000).toFixed(3),
      'x-ratelimit-reset-after': retryAfterSec.toFixed(3),
      'x-ratelimit-bucket': 'c0ffee00emulated',
      'x-ratelimit-scope': 'user',
    },
  };
}
