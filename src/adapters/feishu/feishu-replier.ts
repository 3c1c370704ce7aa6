import type { IntakeEvent, IntakeOutcome, IntakeReplier } from '../../core/intake/intake-event';
import type { UserRef } from '../../domain/ticket/ticket';
import type { FeishuAdapter } from './feishu-adapter';
import { doneCard, formToCard } from './form-card';

/** Where the answer to a Feishu request goes (stored with the request). */
export type FeishuReplyRoute =
  /** A text command or DM: a reply to the message (in a DM a new ticket's confirmation already sits in the chat). */
  | { via: 'reply'; messageId: string; inGroup: boolean }
  /** A form card submitted: the card becomes the outcome (late answers patch it; without it, a DM). */
  | { via: 'form'; openId: string; messageId?: string; title: string }
  /** A card button or picker, answered late: a DM to the clicker. */
  | { via: 'dm'; openId: string };

export class FeishuReplier implements IntakeReplier {
  readonly platform = 'feishu' as const;

  constructor(private readonly adapter: FeishuAdapter) {}

  resolveUser(user: UserRef): Promise<UserRef> {
    return this.adapter.user(user.id, user.name);
  }

  async answer(event: IntakeEvent, outcome: IntakeOutcome): Promise<void> {
    const route = event.reply as FeishuReplyRoute;
    const text = outcome.message?.text;
    if (!text) return;
    switch (route.via) {
      case 'reply':
        if (outcome.status === 'created' && !route.inGroup) return;
        await this.adapter.reply(route.messageId, outcome.message ?? { text });
        return;
      case 'form': {
        const card = doneCard(route.title, text);
        if (route.messageId) await this.adapter.patch(route.messageId, card);
        else await this.adapter.send({ openId: route.openId }, card);
        return;
      }
      case 'dm':
        // A late Note press: its form, else the words.
        if (outcome.form) await this.adapter.send({ openId: route.openId }, formToCard(outcome.form, { locale: event.locale }));
        else await this.adapter.sendDirect({ platform: 'feishu', id: route.openId }, { text });
    }
  }
}
