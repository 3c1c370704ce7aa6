import type { PlaygroundMessage } from '../../src/adapters/playground/playground-hub';
import type { Chatdesk } from '../../src/app';

export type Json = Record<string, any>;

/** The playground's HTTP API as its page uses it, for e2e tests; every call waits for the work it started. */
export function playgroundApi(app: () => Chatdesk) {
  /** Background work done: the assistant's offers and drafts, then what they and the change queued in the outbox. */
  const settle = async () => {
    await app().desk.idle();
    await app().outbox.idle();
  };
  const post = async (path: string, body: Json) => {
    const res = await fetch(`${app().url}/api/playground/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Json;
    await settle();
    return { status: res.status, json };
  };
  const conversation = async (user: string, id: string): Promise<PlaygroundMessage[]> => {
    const res = await fetch(`${app().url}/api/playground/conversations?user=${user}`);
    const json = (await res.json()) as { conversations: Array<{ id: string; messages: PlaygroundMessage[] }> };
    return json.conversations.find((c) => c.id === id)?.messages ?? [];
  };
  return { settle, post, conversation };
}
