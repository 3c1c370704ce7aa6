import type { App } from '@microsoft/teams.apps';
import type { HelpDesk } from '../../core/help-desk';
import type { OutboundMessage } from '../../core/cards/card';
import { type Locale, localeForText } from '../../core/i18n';
import type { UserRef } from '../../domain/ticket/ticket';
import type { IntakeEvent, IntakeRequest } from '../../core/intake/intake-event';
import type { IntakePipeline } from '../../core/intake/intake-pipeline';
import type { Logger } from '../../logger';
import { toActivity } from './adaptive-card';
import { isChannelConversation } from './conversation-ids';
import type { TeamsAdapter } from './teams-adapter';

/** The fields of an inbound Bot Framework activity chatdesk reads (the SDK types them per activity kind). */
export interface Inbound {
  id: string;
  type: string;
  name?: string;
  text?: string;
  locale?: string;
  serviceUrl: string;
  from: { id: string; name?: string; aadObjectId?: string };
  recipient: { id: string; name?: string };
  conversation: { id: string; conversationType?: string; tenantId?: string };
  channelData?: { tenant?: { id?: string }; channel?: { id?: string }; team?: { aadGroupId?: string } };
  replyToId?: string;
  value?: unknown;
}

export interface TeamsDeps {
  desk: HelpDesk;
  intake: IntakePipeline;
  adapter: TeamsAdapter;
  logger: Logger;
}

type Api = App['api'];
type Params = Parameters<Api['conversations']['createActivity']>[1];

export const actorOf = (a: Inbound): UserRef => ({ platform: 'teams', id: a.from.id, ...(a.from.name ? { name: a.from.name } : {}) });

/** The person's Teams client language when it is one chatdesk speaks, else the language of what they wrote. */
export function localeOf(a: Inbound, text: string, fallback: Locale): Locale {
  if (a.locale?.toLowerCase().startsWith('zh')) return 'zh';
  return localeForText(text, fallback);
}

/** Where the answer to a Teams activity goes: the activity itself (stored with the request), to reply to it privately. */
export interface TeamsReplyRoute {
  activity: Pick<Inbound, 'id' | 'serviceUrl' | 'from' | 'conversation' | 'channelData'>;
}

export function teamsReplyRoute(a: Inbound): TeamsReplyRoute {
  return {
    activity: {
      id: a.id,
      serviceUrl: a.serviceUrl,
      from: { id: a.from.id, ...(a.from.name ? { name: a.from.name } : {}) },
      conversation: {
        id: a.conversation.id,
        ...(a.conversation.conversationType ? { conversationType: a.conversation.conversationType } : {}),
        ...(a.conversation.tenantId ? { tenantId: a.conversation.tenantId } : {}),
      },
      ...(a.channelData ? { channelData: a.channelData } : {}),
    },
  };
}

/** The stored form of an activity: Teams redelivers an activity with the same id, which is then the same event. */
export function teamsEvent(a: Inbound, locale: Locale, request: IntakeRequest): IntakeEvent {
  return { id: `teams:${a.id}`, platform: 'teams', user: actorOf(a), locale, request, reply: teamsReplyRoute(a) as unknown as Record<string, unknown> };
}

/**
 * Answers the sender where only they see it: in a 1:1 chat a normal reply,
 * in a channel or group chat a targeted message (Teams' "only you can see this").
 */
export async function replyPrivately(api: Api, a: Inbound, message: OutboundMessage | Record<string, unknown>): Promise<void> {
  const activity = 'type' in message ? message : (toActivity(message as OutboundMessage) as Record<string, unknown>);
  if (a.conversation.conversationType === 'personal') {
    await api.conversations.createActivity(a.conversation.id, { ...activity, replyToId: a.id } as Params);
    return;
  }
  const recipient = { id: a.from.id, name: a.from.name, role: 'user' as const, isTargeted: true };
  const conversationId =
    isChannelConversation(a.conversation.id) && !a.conversation.id.includes(';messageid=') ? `${a.conversation.id};messageid=${a.id}` : a.conversation.id;
  await api.conversations.createTargetedActivity(conversationId, { ...activity, recipient } as Params);
}
