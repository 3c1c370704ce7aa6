import type { Platform } from '../domain/ticket/ticket';

/**
 * What an adapter learns from inbound traffic and needs later to send
 * (Teams: the service URL, each person's tenant and DM chat, each channel's
 * team). Stored, not remembered: any replica, and any process after a
 * restart, can reach people the first one saw. Values are opaque strings.
 * Implemented in src/store.
 */
export interface ConversationState {
  get(platform: Platform, key: string): Promise<string | undefined>;
  set(platform: Platform, key: string, value: string): Promise<void>;
}
