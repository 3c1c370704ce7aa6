import type { Singletons } from './singleton.port';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { Logger } from '../logger';
import type { ChatAdapter } from './chat-adapter.port';
import type { ConversationState } from './conversation-state.port';
import type { HelpDesk } from './help-desk';
import type { IntakePipeline } from './intake/intake-pipeline';
import type { IntakeReplier } from './intake/intake-event';

/** An HTTP route on chatdesk's server: returns true when it handled the request. */
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> | boolean;
/** A WebSocket upgrade on chatdesk's server: returns true when it took the socket. */
export type Upgrade = (wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => boolean;

/** What every messenger integration gets from the core. */
export interface PlatformContext {
  desk: HelpDesk;
  /** The durable inbound pipeline: `intake.submit(event)` before acknowledging the platform. */
  intake: IntakePipeline;
  /** Where an adapter keeps what it learns from inbound traffic and needs to send later. */
  state: ConversationState;
  logger: Logger;
  /** What only one process of the deployment may run (a gateway session). */
  singletons?: Singletons;
}

/**
 * One messenger integration as the app wires it: the outbound adapter, the
 * inbound routes it mounts on chatdesk's HTTP server, and an optional
 * long-lived connection (e.g. a gateway socket) started after the server.
 */
export interface PlatformModule {
  adapter: ChatAdapter;
  /** Tells people the outcome of their stored requests (registered with the intake pipeline). */
  replier?: IntakeReplier;
  routes: Route[];
  upgrades?: Upgrade[];
  /** Called once the HTTP server listens (connect gateways, register commands). */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
