/**
 * Ordered log of the calls an emulator received, with `waitFor` that resolves
 * on the first matching call, past or future, and on timeout rejects with a
 * message listing everything seen so far (so a failing test says why).
 */
export interface LoggedCall {
  method: string;
  status: number;
}

interface Waiter<C> {
  method: string;
  predicate: (c: C) => boolean;
  resolve: (c: C) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class CallLog<C extends LoggedCall> {
  /** Every call, in the order it completed. The array is live: tests may read it at any time. */
  readonly calls: C[] = [];
  private waiters = new Set<Waiter<C>>();
  private closed = false;

  constructor(private readonly name = 'emulator') {}

  record(call: C): void {
    this.calls.push(call);
    for (const w of [...this.waiters]) {
      if (w.method !== call.method) continue;
      let hit = false;
      try {
        hit = w.predicate(call);
      } catch (err) {
        this.settle(w);
        w.reject(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      if (hit) {
        this.settle(w);
        w.resolve(call);
      }
    }
  }

  callsTo(method: string): C[] {
    return this.calls.filter((c) => c.method === method);
  }

  waitFor(method: string, predicate: (c: C) => boolean = () => true, timeoutMs = 5000): Promise<C> {
    const past = this.calls.find((c) => c.method === method && predicate(c));
    if (past) return Promise.resolve(past);
    if (this.closed) return Promise.reject(new Error(`${this.name}: waitFor('${method}') after close. ${this.describe()}`));
    return new Promise<C>((resolve, reject) => {
      const waiter: Waiter<C> = {
        method,
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for a matching '${method}' call. ${this.describe()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Human-readable list of the calls so far, for error messages. */
  describe(maxCalls = 30): string {
    if (this.calls.length === 0) return 'No calls seen so far.';
    const shown = this.calls.slice(-maxCalls);
    const lines = shown.map((c, i) => {
      const { method, status, ...rest } = c as LoggedCall & Record<string, unknown>;
      let detail = '';
      try {
        detail = JSON.stringify((rest as { args?: unknown }).args ?? rest);
      } catch {
        detail = '[unserializable]';
      }
      if (detail.length > 300) detail = `${detail.slice(0, 300)}…`;
      return `  #${this.calls.length - shown.length + i + 1} ${method} -> ${status} ${detail}`;
    });
    const skipped = this.calls.length - shown.length;
    return `Calls seen so far (${this.calls.length}${skipped ? `, first ${skipped} omitted` : ''}):\n${lines.join('\n')}`;
  }

  /** Rejects pending waiters; later waitFor calls only see past calls. */
  close(): void {
    this.closed = true;
    for (const w of [...this.waiters]) {
      this.settle(w);
      w.reject(new Error(`${this.name}: closed while waiting for a '${w.method}' call. ${this.describe()}`));
    }
  }

  private settle(w: Waiter<C>): void {
    clearTimeout(w.timer);
    this.waiters.delete(w);
  }
}
