import type { DeskConfig } from '../../config/desk-config.schema';
import type { EmailConfig } from '../../config/platforms/email.env';
import type { PlatformContext, PlatformModule } from '../../core/platform-module';
import type { Platform } from '../../domain/ticket/ticket';
import { EmailAdapter } from './email-adapter';
import { EmailReplier } from './email-replier';
import { ImapReader, type MailboxMetrics, type TakeResult } from './imap-reader';
import { MailIntake } from './mail-intake';
import type { InboundMail } from './mail-read';
import { MailThreads } from './mail-threads';
import { SmtpSender } from './smtp-sender';

export interface EmailModule extends PlatformModule {
  /** For `/readyz` (an optional part: chat goes on without the mailbox). */
  check(): Promise<void>;
}

/**
 * Email as a messenger: the mailbox is read over IMAP into the one intake
 * pipeline, answers go out over SMTP through the EmailAdapter. No HTTP routes.
 */
export function createEmailModule(
  config: EmailConfig,
  ctx: PlatformContext & { deskConfig: DeskConfig; connected: () => readonly Platform[]; metrics: MailboxMetrics },
): EmailModule {
  const logger = ctx.logger.child({ platform: 'email' });
  const threads = new MailThreads(ctx.state);
  const smtp = new SmtpSender(config.smtp, config.from, logger);
  const adapter = new EmailAdapter(smtp, threads, logger);
  const own = [config.from, ...(config.imap.user?.includes('@') ? [config.imap.user.toLowerCase()] : [])];
  const intake = new MailIntake({ desk: ctx.deskConfig, threads, own, connected: ctx.connected, logger, maxBytes: config.maxBytes });

  const take = async (mail: InboundMail, fallbackId: string): Promise<TakeResult> => {
    // Throws when the database cannot be read or written: the mail stays unseen and is taken at the next look.
    const outcome = await intake.read(mail, fallbackId);
    if (outcome.kind === 'skip') {
      logger.info({ messageId: mail.messageId, reason: outcome.reason }, 'mail skipped');
      if (outcome.answer && mail.from) {
        const rootId = mail.messageId ?? fallbackId;
        await threads.rememberRoot(rootId, { from: mail.from, subject: mail.subject, references: mail.references });
        await adapter
          .post({ channelId: mail.from, threadId: rootId }, { text: outcome.answer }, { dedupeKey: `skip:${rootId}` })
          .catch((err: unknown) => logger.warn({ err, messageId: mail.messageId }, 'could not answer a skipped mail'));
      }
      return 'skipped';
    }
    // chatdesk_busy / chatdesk_store_unavailable: the same (unseen, taken again).
    return (await ctx.intake.submit(outcome.event)) === 'accepted' ? 'stored' : 'duplicate';
  };

  const reader = new ImapReader({ config, take, logger, metrics: ctx.metrics });
  return {
    adapter,
    replier: new EmailReplier(adapter, ctx.intake, ctx.deskConfig.defaultType, logger),
    routes: [],
    check: () => reader.check(),
    async start() {
      reader.start();
    },
    async stop() {
      await reader.stop();
      smtp.close();
    },
  };
}
