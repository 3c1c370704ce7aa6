import type { MessageRef } from '../../domain/ticket/ticket';
import { baseConversationId, isChannelConversation } from './conversation-ids';

const DEEP_LINK_BASE = 'https://teams.microsoft.com/l/message';

/** Channel ids (`19:…@thread.tacv2`) go into the path as Teams' own "Copy link" writes them. */
const pathSegment = (id: string) => encodeURIComponent(id).replace(/%3A/gi, ':').replace(/%40/g, '@');

/**
 * The deep link that opens a posted message, in the documented formats
 * (learn.microsoft.com, "Deep link to Teams chat"): a channel message is
 * `l/message/<channelId>/<messageId>?tenantId&groupId&parentMessageId`, a chat
 * message `l/message/<chatId>/<messageId>?context={"contextType":"chat"}`.
 *
 * Unverified against live Teams (the emulator cannot open links): that a bot's
 * activity id is the message id Teams expects here, and that the link opens
 * without the optional teamName / channelName / createdTime, or without groupId
 * before an activity from that channel told us the team's group id.
 */
export function messageDeepLink(ref: MessageRef, opts: { tenantId?: string; groupId?: string } = {}): string {
  const conversation = baseConversationId(ref.channelId);
  const query = new URLSearchParams();
  if (isChannelConversation(conversation)) {
    if (opts.tenantId) query.set('tenantId', opts.tenantId);
    if (opts.groupId) query.set('groupId', opts.groupId);
    query.set('parentMessageId', ref.threadId ?? ref.messageId);
  } else {
    query.set('context', JSON.stringify({ contextType: 'chat' }));
  }
  return `${DEEP_LINK_BASE}/${pathSegment(conversation)}/${encodeURIComponent(ref.messageId)}?${query}`;
}
