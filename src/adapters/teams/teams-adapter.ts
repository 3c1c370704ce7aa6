import type { App } from '@microsoft/teams.apps';
import type { OutboundMessage } from '../../core/cards/card';
import type { ChatAdapter, PostTarget } from '../../core/chat-adapter.port';
import type { ConversationState } from '../../core/conversation-state.port';
import type { Logger } from '../../logger';
import { ChatdeskError, isPermanentStatus } from '../../domain/errors';
import type { MessageRef, UserRef } from '../../domain/ticket/ticket';
import { toActivity } from './adaptive-card';
import { baseConversationId, isChannelConversation } from './conversation-ids';
import { messageDeepLink } from './deep-link';

/** Proactive posts before any inbound activity told us the tenant's regional service URL. */
export const GLOBAL_SERVICE_URL = 'https://smba.trafficmanager.net/teams';
type Api = App['api'];
type Params = Parameters<Api['conversations']['createActivity']>[1];

/** Teams refuses a 1:1 chat with someone who has not installed the app (or blocked the bot) this way. */
const UNREACHABLE_CODES = new Set(['BotNotInConversationRoster', 'ConversationBlockedByUser', 'Forbidden', 'UserNotFound']);

export function platformError(err: unknown): { status?: number; code?: string; message?: string } {
  const res = (err as { response?: { status?: number; data?: { error?: { code?: string; message?: string } } } }).response;
  return { status: res?.status, code: res?.data?.error?.code, message: res?.data?.error?.message };
}

/**
 * Outbound side of Teams: Bot Connector REST through the SDK's ApiClient
 * (bot token and 429/5xx retries live in the SDK's http client). Ids: a
 * channel is a conversation id, a message an activity id, a thread the root's activity id.
 */
export class TeamsAdapter implements ChatAdapter {
  readonly platform = 'teams' as const;
  /** Read-through caches of what is stored in the conversation state (keys below). */
  private readonly directChats = new Map<string, string>();
  private readonly tenants = new Map<string, string>();
  /** Channel id -> its team's Entra group id (deep links to channel messages name it). */
  private readonly teamGroups = new Map<string, string>();
  private serviceUrl = GLOBAL_SERVICE_URL;

  constructor(
    private readonly app: App,
    private readonly opts: { appId: string; tenantId?: string },
    /** Stored, so a DM works from any replica and after a restart (keys: serviceUrl, tenant:<user>, dm:<user>, group:<channel>). */
    private readonly state?: ConversationState,
    private readonly logger?: Logger,
  ) {}

  /** Loads the service URL learned before a restart (before the first proactive call). */
  async restore(): Promise<void> {
    const stored = await this.state?.get('teams', 'serviceUrl').catch(() => undefined);
    if (stored) this.serviceUrl = stored;
  }

  /** Remembers what a verified inbound activity tells about the tenant: its service URL, each sender's tenant, each channel's team. */
  learn(activity: {
    serviceUrl?: string;
    from?: { id?: string };
    conversation?: { tenantId?: string };
    channelData?: { tenant?: { id?: string }; channel?: { id?: string }; team?: { aadGroupId?: string } };
  }): void {
    if (activity.serviceUrl) {
      const url = activity.serviceUrl.replace(/\/+$/, '');
      if (url !== this.serviceUrl) this.store('serviceUrl', url);
      this.serviceUrl = url;
    }
    const tenant = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id;
    if (tenant && activity.from?.id) this.remember(this.tenants, 'tenant', activity.from.id, tenant);
    const channel = activity.channelData?.channel?.id;
    const group = activity.channelData?.team?.aadGroupId;
    if (channel && group) this.remember(this.teamGroups, 'group', channel, group);
  }

  /** Caches and (when new or changed) stores a learned value; a failed write is logged, the cache still serves this process. */
  private remember(cache: Map<string, string>, kind: string, id: string, value: string): void {
    if (cache.get(id) === value) return;
    cache.set(id, value);
    this.store(`${kind}:${id}`, value);
  }

  private store(key: string, value: string): void {
    this.state
      ?.set('teams', key, value)
      .catch((err: unknown) => this.logger?.warn({ err, key: key.split(':')[0] }, 'could not store what Teams told about a conversation'));
  }

  /** The cached value, else the stored one (another replica, or this one before a restart, learned it). */
  private async recall(cache: Map<string, string>, kind: string, id: string): Promise<string | undefined> {
    const cached = cache.get(id);
    if (cached !== undefined || !this.state) return cached;
    const stored = await this.state.get('teams', `${kind}:${id}`).catch(() => undefined);
    if (stored !== undefined) cache.set(id, stored);
    return stored;
  }

  /** The API client for proactive calls (the learned service URL). */
  api(): Api {
    return this.app.api.clone({ serviceUrl: this.serviceUrl });
  }

  async post(target: PostTarget, message: OutboundMessage): Promise<MessageRef> {
    const threaded = target.threadId && isChannelConversation(target.channelId);
    const conversationId = threaded ? `${target.channelId};messageid=${target.threadId}` : target.channelId;
    const sent = await this.call('activities.create', () => this.api().conversations.createActivity(conversationId, toActivity(message) as Params));
    return { platform: 'teams', channelId: target.channelId, messageId: sent.id, ...(target.threadId ? { threadId: target.threadId } : {}) };
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    await this.call('activities.update', () => this.api().conversations.updateActivity(ref.channelId, ref.messageId, toActivity(message) as Params));
  }

  /** The documented deep link to the message (see deep-link.ts); built locally, no call to Teams. */
  async permalink(ref: MessageRef): Promise<string | undefined> {
    const groupId = await this.recall(this.teamGroups, 'group', baseConversationId(ref.channelId));
    return messageDeepLink(ref, { ...(this.opts.tenantId ? { tenantId: this.opts.tenantId } : {}), ...(groupId ? { groupId } : {}) });
  }

  async sendDirect(user: UserRef, message: OutboundMessage): Promise<MessageRef> {
    let chat = await this.recall(this.directChats, 'dm', user.id);
    if (!chat) {
      const tenantId = (await this.recall(this.tenants, 'tenant', user.id)) ?? this.opts.tenantId;
      const created = await this.call('conversations.create', () =>
        this.api().conversations.create({
          isGroup: false,
          bot: { id: `28:${this.opts.appId}`, role: 'bot' },
          members: [{ id: user.id, role: 'user' }],
          ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
        }),
      );
      chat = created.id;
      this.remember(this.directChats, 'dm', user.id, chat);
    }
    try {
      return await this.post({ channelId: chat }, message);
    } catch (err) {
      // Uninstalled since: forget the chat so the next attempt asks Teams again.
      if ((err as ChatdeskError).code === 'chatdesk_recipient_unreachable') {
        this.directChats.delete(user.id);
        this.store(`dm:${user.id}`, '');
      }
      throw err;
    }
  }

  /**
   * A person by Teams user id (`29:…`) or Entra object id, as a member of a
   * conversation (the people picker returns Entra ids; chatdesk keys people by their Teams id).
   */
  async member(conversationId: string, id: string, api: Api = this.api()): Promise<UserRef> {
    const m = await this.call('conversations.members.get', () => api.conversations.getMemberById(baseConversationId(conversationId), id));
    return { platform: 'teams', id: m.id, ...(m.name ? { name: m.name } : {}) };
  }

  /** Calls Teams; platform failures become coded errors (the SDK's http client already retried 429/5xx). */
  async call<T>(method: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const { status, code, message } = platformError(err);
      const details = { platform: 'teams', method, status, code, permanent: isPermanentStatus(status) };
      if (status === 403 && (method === 'conversations.create' || (code && UNREACHABLE_CODES.has(code)))) {
        throw new ChatdeskError('chatdesk_recipient_unreachable', `Teams refused to reach the user (${code ?? status})`, details, { cause: err });
      }
      throw new ChatdeskError(
        'chatdesk_adapter_error',
        `Teams ${method} failed: ${status ?? ''} ${code ?? (err as Error).message} ${message ?? ''}`.trim(),
        details,
        { cause: err },
      );
    }
  }
}
