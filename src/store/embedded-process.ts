import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Logger } from '../logger';

/** What a supervised process is doing. */
export type ProcessState = 'starting' | 'up' | 'down' | 'stopping' | 'stopped';

export interface ProcessEvent {
  name: string;
  /** How many times it was restarted so far. */
  restarts: number;
  code?: number | null;
  signal?: NodeJS.Signals | null;
  /** Milliseconds until the next try (for `down`). */
  retryInMs?: number;
  error?: string;
}

export interface SupervisedEvents {
  /** Started (the first time or after a restart). */
  up: [ProcessEvent];
  /** Died unexpectedly, or a restart attempt failed; another try follows after `retryInMs`. */
  down: [ProcessEvent];
}

export interface SupervisedSpec {
  /** `ferretdb` or `postgresql`: the name in logs and events. */
  name: string;
  /** Starts the process; resolves once it serves. Rejects (and leaves nothing running) when it cannot start. */
  launch(attempt: number): Promise<ChildProcess>;
  /** Stops a running child politely, then by force; resolves when it has exited. */
  terminate(child: ChildProcess): Promise<void>;
  logger: Logger;
  /** Backoff between restart attempts: first delay, doubled up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** A process that served this long before it died restarts after `minDelayMs` again. */
  stableAfterMs?: number;
}

/**
 * Runs one child process and restarts it, with backoff, whenever it exits
 * without having been asked to. `launch` is responsible for reusing the same
 * port, so clients reconnect by themselves.
 */
export class SupervisedProcess extends EventEmitter<SupervisedEvents> {
  private child: ChildProcess | undefined;
  private current: ProcessState = 'stopped';
  private restarts = 0;
  private failures = 0;
  private upSince = 0;
  private timer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;

  constructor(private readonly spec: SupervisedSpec) {
    super();
  }

  get name(): string {
    return this.spec.name;
  }

  get state(): ProcessState {
    return this.current;
  }

  get restartCount(): number {
    return this.restarts;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The first start: failures are thrown to the caller, not retried. */
  async start(): Promise<void> {
    this.current = 'starting';
    try {
      this.adopt(await this.spec.launch(0));
    } catch (err) {
      this.current = 'stopped';
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.current = 'stopping';
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // A restart in flight finishes (or fails) first, so its child is stopped too.
    await this.restarting?.catch(() => undefined);
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) await this.spec.terminate(child);
    this.current = 'stopped';
  }

  private adopt(child: ChildProcess): void {
    this.child = child;
    this.current = 'up';
    this.upSince = Date.now();
    child.once('exit', (code, signal) => {
      if (this.child !== child || this.current === 'stopping' || this.current === 'stopped') return;
      this.child = undefined;
      if (Date.now() - this.upSince >= (this.spec.stableAfterMs ?? 30_000)) this.failures = 0;
      this.scheduleRestart({ code, signal });
    });
  }

  private scheduleRestart(info: { code?: number | null; signal?: NodeJS.Signals | null; error?: string }): void {
    const min = this.spec.minDelayMs ?? 250;
    const max = this.spec.maxDelayMs ?? 10_000;
    const delay = Math.min(max, min * 2 ** this.failures);
    this.failures += 1;
    this.current = 'down';
    const event: ProcessEvent = { name: this.spec.name, restarts: this.restarts, ...info, retryInMs: delay };
    this.spec.logger.warn(event, `embedded database: ${this.spec.name} is down; restarting in ${delay} ms`);
    this.emit('down', event);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.restarting = this.restart().finally(() => {
        this.restarting = undefined;
      });
    }, delay);
  }

  private async restart(): Promise<void> {
    if (this.current !== 'down') return;
    this.current = 'starting';
    let child: ChildProcess;
    try {
      child = await this.spec.launch(this.restarts + 1);
    } catch (err) {
      if (this.current !== 'starting') return;
      this.scheduleRestart({ error: (err as Error).message });
      return;
    }
    if (this.current !== 'starting') {
      // stop() was called while it started: it must not keep running.
      await this.spec.terminate(child);
      return;
    }
    this.restarts += 1;
    this.adopt(child);
    const event: ProcessEvent = { name: this.spec.name, restarts: this.restarts };
    this.spec.logger.info(event, `embedded database: ${this.spec.name} restarted`);
    this.emit('up', event);
  }
}

/** Waits for a child's exit, sending `signals` in turn after each delay. */
export function terminateChild(child: ChildProcess, steps: Array<{ signal: NodeJS.Signals | 'stdin'; afterMs: number }>): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timers: NodeJS.Timeout[] = [];
    child.once('exit', () => {
      for (const t of timers) clearTimeout(t);
      resolve();
    });
    for (const step of steps) {
      timers.push(
        setTimeout(() => {
          if (step.signal === 'stdin') child.stdin?.end();
          else child.kill(step.signal);
        }, step.afterMs),
      );
    }
  });
}

/** The last lines a process wrote, for error messages. */
export class LineTail {
  private readonly lines: string[] = [];

  constructor(private readonly max = 20) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }

  toString(): string {
    return this.lines.join('\n');
  }
}
