import type { IntakeEvent, IntakeOutcome, IntakeReplier } from '../../core/intake/intake-event';
import { ChatdeskError, isPermanentFailure } from '../../domain/errors';
import type { Form } from '../../core/forms/ticket-form';
import { formToModal } from './form-modal';
import type { UserRef } from '../../domain/ticket/ticket';
import { clip, escapeMrkdwn } from './mrkdwn';
import type { SlackAdapter } from './slack-adapter';

/** Where the answer to a Slack request goes (stored with the request in the inbox). */
export type SlackReplyRoute =
  /** A slash command: its response_url (ephemeral, valid 30 minutes), the DM when that fails. */
  | { via: 'respond'; responseUrl: string; userId: string }
  /** A button or picker: an ephemeral in the channel where it was clicked; a form (Note) opens from the click's trigger_id. */
  | { via: 'ephemeral'; channelId?: string; userId: string; triggerId?: string }
  /** A submitted form: the channel it was opened from gets an ephemeral with the key; a DM-opened form has its confirmation in the DM thread. */
  | { via: 'view'; channelId?: string; userId: string }
  /** A message in the bot's DM: the answer goes in its thread. */
  | { via: 'thread'; channelId: string; threadTs: string; userId: string };

/** Tells a Slack user the outcome of their request, the way Slack shows private answers. */
export class SlackReplier implements IntakeReplier {
  readonly platform = 'slack' as const;

  constructor(
    private readonly adapter: SlackAdapter,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  resolveUser(user: UserRef): Promise<UserRef> {
    return this.adapter.user(user.id, user.name);
  }

  async answer(event: IntakeEvent, outcome: IntakeOutcome): Promise<void> {
    const route = event.reply as SlackReplyRoute;
    const text = outcome.message?.text;
    if (!text) return;
    const dm = () => this.adapter.sendDirect({ platform: 'slack', id: route.userId }, { text });
    switch (route.via) {
      case 'respond':
        try {
          await this.respond(route.responseUrl, text);
        } catch (err) {
          // An expired response_url (30 minutes, 5 uses): the answer goes to the DM instead.
          if (!(err instanceof ChatdeskError && err.details.status === 404)) throw err;
          await dm();
        }
        return;
      case 'ephemeral':
        if (outcome.form && route.triggerId && (await this.openForm(route, outcome.form))) return;
        if (route.channelId) await this.adapter.postEphemeral(route.channelId, route.userId, text);
        return;
      case 'view':
        if (outcome.status === 'created' && route.channelId?.startsWith('D')) return;
        if (outcome.status === 'created' && route.channelId) {
          await this.adapter.postEphemeral(route.channelId, route.userId, text).catch(() => dm());
          return;
        }
        await dm();
        return;
      case 'thread':
        await this.adapter.post({ channelId: route.channelId, threadId: route.threadTs }, outcome.message ?? { text });
        return;
    }
  }

  /** The form as a modal; false when Slack refused it (the trigger expired: the click waited too long), so the words go instead. */
  private async openForm(route: { channelId?: string; triggerId?: string }, form: Form): Promise<boolean> {
    try {
      await this.adapter.openView(route.triggerId!, formToModal(form, route.channelId ? { channelId: route.channelId } : {}));
      return true;
    } catch (err) {
      if (!isPermanentFailure(err)) throw err;
      return false;
    }
  }

  private async respond(url: string, text: string): Promise<void> {
    const res = await this.fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: clip(escapeMrkdwn(text), 3000) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new ChatdeskError('chatdesk_adapter_error', `Slack response_url answered ${res.status}`, {
        platform: 'slack',
        status: res.status,
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      });
    }
  }
}
