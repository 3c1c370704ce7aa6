/**
 * Sends activities to the bot the way Teams (through the Bot Framework
 * service) does: a JSON activity POSTed with `Authorization: Bearer <JWT>`
 * signed by the Bot Framework key, its `serviceurl` claim equal to the
 * activity's serviceUrl. Invoke answers the Teams client would show only to
 * the sender (a card action's message, a dialog's closing message) are
 * recorded as that user's private texts.
 */
import crypto from 'node:crypto';
import type { ForgedKind } from './auth';
import type { TeamsEmulator, TeamsUser } from './index';

export interface InboundResult {
  status: number;
  body: string;
  json?: Record<string, any>;
}

export type Where = { channel: string; threadOf?: string } | { personal: true };

type Activity = Record<string, unknown> & { serviceUrl: string };

let counter = 0;

function conversationFor(emu: TeamsEmulator, user: TeamsUser, where: Where, activityId: string) {
  if ('personal' in where) return { id: emu.personalChatOf(user.id).id, conversationType: 'personal', tenantId: emu.tenantId };
  const thread = where.threadOf ?? activityId;
  return { id: `${where.channel};messageid=${thread}`, conversationType: 'channel', isGroup: true, tenantId: emu.tenantId };
}

function envelope(emu: TeamsEmulator, user: TeamsUser, where: Where, extra: Record<string, unknown>, id?: string): Activity {
  const activityId = id ?? `${Date.now()}${String(++counter).padStart(4, '0')}`;
  const conversation = conversationFor(emu, user, where, activityId);
  return {
    id: activityId,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    serviceUrl: emu.serviceUrl,
    channelId: 'msteams',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: emu.botId, name: emu.botName },
    conversation,
    locale: 'en-US',
    entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Berlin' }],
    channelData: {
      tenant: { id: emu.tenantId },
      ...('channel' in where
        ? { teamsChannelId: where.channel, teamsTeamId: emu.teamId, channel: { id: where.channel }, team: { id: emu.teamId, aadGroupId: emu.teamGroupId } }
        : {}),
    },
    ...extra,
  };
}

/** POSTs an activity with a token of the given quality. */
export async function postActivity(emu: TeamsEmulator, endpoint: string, activity: Activity, auth: 'valid' | ForgedKind = 'valid'): Promise<InboundResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  let body = activity;
  if (auth !== 'unsigned') {
    const token =
      auth === 'stale'
        ? emu.keys.inboundToken({ appId: emu.appId, serviceUrl: activity.serviceUrl, issuedAtSec: Math.floor(Date.now() / 1000) - 7200 })
        : emu.keys.inboundToken({ appId: emu.appId, serviceUrl: activity.serviceUrl, key: auth === 'wrong-key' ? 'other' : 'published' });
    headers.authorization = `Bearer ${token}`;
    // The token binds the serviceUrl only (Bot Framework tokens do not sign the body): changing it after signing is the tampering that matters.
    if (auth === 'tampered') body = { ...activity, serviceUrl: activity.serviceUrl.replace('/amer/', '/emea/') };
  }
  const res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  let json: Record<string, any> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, any>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, body: text, json };
}

/** A message as typed: in a channel it must @mention the bot (`<at>chatdesk</at> …`), in the 1:1 chat not. */
export function messageActivity(emu: TeamsEmulator, user: TeamsUser, where: Where, text: string, id?: string): Activity {
  const mention = 'channel' in where ? `<at>${emu.botName}</at> ` : '';
  const entities = 'channel' in where ? [{ type: 'mention', text: `<at>${emu.botName}</at>`, mentioned: { id: emu.botId, name: emu.botName } }] : [];
  const activity = envelope(emu, user, where, { type: 'message', text: `${mention}${text}`, textFormat: 'plain', attachments: [] }, id);
  (activity.entities as unknown[]).push(...entities);
  return activity;
}

export function sendMessage(emu: TeamsEmulator, endpoint: string, user: TeamsUser, where: Where, text: string): Promise<InboundResult> {
  return postActivity(emu, endpoint, messageActivity(emu, user, where, text));
}

/** An Action.Execute click (on a channel's card, or on one in the user's 1:1 chat with the bot): invoke `adaptiveCard/action`, inputs merged into the action's data. */
export async function sendCardAction(
  emu: TeamsEmulator,
  endpoint: string,
  user: TeamsUser,
  card: { channel: string; messageId: string } | { personal: true; messageId: string },
  action: { verb: string; data: Record<string, unknown> },
): Promise<InboundResult> {
  const where: Where = 'personal' in card ? { personal: true } : { channel: card.channel, threadOf: card.messageId };
  const activity = envelope(emu, user, where, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: card.messageId,
    value: { action: { type: 'Action.Execute', id: crypto.randomUUID(), verb: action.verb, data: action.data }, trigger: 'manual' },
  });
  const res = await postActivity(emu, endpoint, activity);
  if (res.json?.type === 'application/vnd.microsoft.activity.message' && typeof res.json.value === 'string')
    emu.recordPrivate(user.id, res.json.value, 'invoke');
  return res;
}

/** Opens a dialog: invoke `task/fetch` with the clicked Action.Submit's data (a `message` answer shows the person a message instead of a dialog). */
export async function sendTaskFetch(
  emu: TeamsEmulator,
  endpoint: string,
  user: TeamsUser,
  where: Where,
  data: Record<string, unknown>,
): Promise<InboundResult> {
  const res = await postActivity(
    emu,
    endpoint,
    envelope(emu, user, where, { type: 'invoke', name: 'task/fetch', value: { data, context: { theme: 'default' } } }),
  );
  const task = res.json?.task as { type?: string; value?: unknown } | undefined;
  if (task?.type === 'message' && typeof task.value === 'string') emu.recordPrivate(user.id, task.value, 'dialog');
  return res;
}

/** Submits a dialog: invoke `task/submit` with the inputs merged into the action's data. */
export async function sendTaskSubmit(
  emu: TeamsEmulator,
  endpoint: string,
  user: TeamsUser,
  where: Where,
  data: Record<string, unknown>,
  id?: string,
): Promise<InboundResult> {
  const res = await postActivity(
    emu,
    endpoint,
    envelope(emu, user, where, { type: 'invoke', name: 'task/submit', value: { data, context: { theme: 'default' } } }, id),
  );
  const task = res.json?.task as { type?: string; value?: unknown } | undefined;
  if (task?.type === 'message' && typeof task.value === 'string') emu.recordPrivate(user.id, task.value, 'dialog');
  return res;
}

/** The message a message action is picked on, as Teams puts it in `messagePayload`. */
export interface TeamsMessagePayload {
  id: string;
  body: { contentType: 'html'; content: string };
  from: { user: { id: string; displayName: string; userIdentityType: 'aadUser' } } | { application: { id: string; displayName: string } };
  linkToMessage: string;
  createdDateTime: string;
}

/**
 * A message extension's action command on a message: invoke `composeExtension/fetchTask` (the dialog opens)
 * or `composeExtension/submitAction` (its inputs in `data`), both with the message as `messagePayload`.
 * A closing message is recorded as the clicker's private text, as the Teams client shows it.
 */
export async function sendMessageAction(
  emu: TeamsEmulator,
  endpoint: string,
  user: TeamsUser,
  where: Where,
  step: 'composeExtension/fetchTask' | 'composeExtension/submitAction',
  value: { commandId: string; messagePayload: TeamsMessagePayload; data?: Record<string, unknown> },
): Promise<InboundResult> {
  const res = await postActivity(
    emu,
    endpoint,
    envelope(emu, user, where, { type: 'invoke', name: step, value: { commandContext: 'message', context: { theme: 'default' }, ...value } }),
  );
  const task = res.json?.task as { type?: string; value?: unknown } | undefined;
  if (task?.type === 'message' && typeof task.value === 'string') emu.recordPrivate(user.id, task.value, 'dialog');
  return res;
}
