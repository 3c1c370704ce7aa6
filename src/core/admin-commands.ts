import type { UserRef } from '../domain/ticket/ticket';
import { userKey } from '../domain/ticket/ticket';
import type { Logger } from '../logger';
import type { AccessGate } from './access/access-gate';
import type { OutboundMessage } from './cards/card';
import { type Locale, t } from './i18n';
import type { Notifier } from './notifier';
import type { TokenCommands } from './token-commands.port';

/**
 * `/ticket admin token create|list|revoke`: desk admins only (anyone else is
 * refused). The answer goes to the admin alone, as every command answer does;
 * a new token itself is sent in a direct message, sent at once and not through
 * the outbox (so it is never stored), and never in the answer, which the
 * intake inbox keeps. A token whose DM fails is revoked again.
 */
export async function runAdminCommand(
  deps: { access: AccessGate; notifier: Notifier; logger: Logger; tokens?: TokenCommands },
  text: string,
  user: UserRef,
  locale: Locale,
): Promise<OutboundMessage> {
  if (!(await deps.access.roles(user)).admin) {
    deps.logger.info({ actor: userKey(user) }, 'refused: token command from someone who is not a desk admin');
    return { text: t(locale, 'admin.notAdmin') };
  }
  if (!deps.tokens) return { text: t(locale, 'admin.noApi') };
  const result = await deps.tokens.run(text, user);
  if (!result.text) return { text: t(locale, 'admin.usage') };
  const created = result.created;
  if (!created) return { text: result.text };
  try {
    await deps.notifier.direct(user, { text: t(locale, 'admin.tokenDm', { name: created.name, id: created.id, secret: created.secret }) });
  } catch (err) {
    deps.logger.warn({ err, token: created.id, actor: userKey(user) }, 'the new API token could not be sent by DM; it is revoked');
    await deps.tokens.revoke(created.id);
    return { text: t(locale, 'admin.tokenDmFailed') };
  }
  deps.logger.info({ token: created.id, name: created.name, actor: userKey(user) }, 'API token created from chat');
  return { text: `${result.text} ${t(locale, 'admin.tokenSent')}` };
}
