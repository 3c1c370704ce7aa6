/**
 * The emulated Gateway (ws): HELLO on connect, READY after a valid IDENTIFY
 * (4004 for a bad token), heartbeat ACKs, RESUMED after RESUME, and
 * `dispatch(t, d)` to every identified session with increasing sequence numbers.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

export const GATEWAY_PATH = '/gw';

interface Session {
  ws: WebSocket;
  id: string;
  identified: boolean;
  seq: number;
}

export interface GatewayEvent {
  op: number;
  t?: string;
}

export class EmulatedGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
  /** Ops received from clients, in order (2 IDENTIFY, 1 heartbeat, 6 RESUME …). */
  readonly received: GatewayEvent[] = [];

  constructor(private readonly opts: { botToken: string; ready: () => Record<string, unknown>; resumeUrl: () => string }) {}

  /** Takes upgrades to GATEWAY_PATH on the emulator's HTTP server. */
  attach(server: http.Server): void {
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.replace(/\/$/, '') !== GATEWAY_PATH || url.searchParams.get('encoding') !== 'json') return void socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws));
    });
  }

  private open(ws: WebSocket): void {
    const session: Session = { ws, id: crypto.randomBytes(16).toString('hex'), identified: false, seq: 0 };
    this.sessions.add(session);
    ws.on('close', () => this.sessions.delete(session));
    ws.send(JSON.stringify({ op: 10, s: null, t: null, d: { heartbeat_interval: 41250 } }));
    ws.on('message', (raw) => {
      let msg: { op: number; d?: Record<string, unknown> };
      try {
        msg = JSON.parse(String(raw)) as typeof msg;
      } catch {
        return void ws.close(4002, 'Decode error');
      }
      this.received.push({ op: msg.op });
      if (msg.op === 1) return void ws.send(JSON.stringify({ op: 11, s: null, t: null, d: null }));
      if (msg.op === 2) {
        if (msg.d?.token !== this.opts.botToken) return void ws.close(4004, 'Authentication failed.');
        session.identified = true;
        return this.send(session, 'READY', { ...this.opts.ready(), session_id: session.id, resume_gateway_url: this.opts.resumeUrl() });
      }
      if (msg.op === 6) {
        session.identified = true;
        return this.send(session, 'RESUMED', {});
      }
    });
  }

  private send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    session.ws.send(JSON.stringify({ op: 0, s: session.seq, t, d }));
  }

  /** Sends a dispatch to every identified session; returns how many got it. */
  dispatch(t: string, d: unknown): number {
    let n = 0;
    for (const s of this.sessions) {
      if (!s.identified) continue;
      this.send(s, t, d);
      n += 1;
    }
    return n;
  }

  identifiedSessions(): number {
    return [...this.sessions].filter((s) => s.identified).length;
  }

  close(): void {
    for (const s of this.sessions) s.ws.terminate();
    this.wss.close();
  }
}
