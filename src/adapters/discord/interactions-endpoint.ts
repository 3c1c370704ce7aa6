import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIInteraction, APIInteractionResponse } from 'discord.js';
import type { Route } from '../../core/platform-module';
import type { Logger } from '../../logger';
import { BODY_LIMIT_BYTES, HttpError, sendJson } from '../../server/http-util';
import type { InteractionHandler } from './interaction-handler';
import { discordPublicKey, verifyDiscordSignature } from './signature';

export const DISCORD_INTERACTIONS_PATH = '/discord/interactions';

async function rawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) throw new HttpError(413, `request body over ${BODY_LIMIT_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * POST /discord/interactions: verifies the Ed25519 signature over the raw
 * body (401 before any handler runs), answers PING, and otherwise answers
 * with the handler's initial response; its follow-up work continues after.
 */
export function interactionsEndpoint(opts: {
  publicKey: string;
  handler: InteractionHandler;
  logger: Logger /** Workspace binding: false refuses the interaction (403) before any handler runs. */;
  allowed?: (i: APIInteraction) => Promise<boolean>;
}): Route {
  const key = discordPublicKey(opts.publicKey);
  const log = opts.logger.child({ component: 'discord-endpoint' });
  return async (req, res, url) => {
    if (url.pathname !== DISCORD_INTERACTIONS_PATH) return false;
    if (req.method !== 'POST') throw new HttpError(405, 'POST only');
    const body = await rawBody(req);
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const signed = verifyDiscordSignature(key, { signature: header('x-signature-ed25519'), timestamp: header('x-signature-timestamp') }, body);
    if (!signed) {
      log.warn({ ip: req.socket.remoteAddress }, 'interaction with a bad or missing signature refused');
      sendJson(res, 401, { error: 'invalid request signature' });
      return true;
    }
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(body.toString('utf8')) as APIInteraction;
    } catch {
      throw new HttpError(400, 'request body is not valid JSON');
    }
    if (opts.allowed && !(await opts.allowed(interaction))) {
      sendJson(res, 403, { error: 'this application serves another server' });
      return true;
    }
    await answer(res, interaction, opts.handler, log);
    return true;
  };
}

/** Runs the handler; its first response becomes the HTTP response (sent before the handler's follow-up work goes on). */
function answer(res: ServerResponse, interaction: APIInteraction, handler: InteractionHandler, log: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    let sent = false;
    const send = (body: APIInteractionResponse | undefined, status = 200): Promise<void> => {
      if (sent) return Promise.resolve();
      sent = true;
      return new Promise<void>((done) => {
        res.once('finish', () => done());
        res.once('close', () => done());
        if (body) sendJson(res, status, body);
        else sendJson(res, status, { error: 'not handled' });
        resolve();
      });
    };
    handler
      .handle(interaction, { respond: (body) => send(body), replayed: (body) => send(body) })
      .catch((err: unknown) => log.error({ err, interaction: interaction.id }, 'handling an interaction failed'))
      .finally(() => void send(undefined, 500));
  });
}
