import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Names of SLA worker instances, and the one liveness question that needs no
 * waiting: is a worker that ran on this same machine gone?
 *
 * A name is `host/boot/pidns/pid/random`. Two names with the same host, kernel
 * boot id and PID namespace were given in the same process space, so the other
 * process's pid can be asked about directly (`kill(pid, 0)`): if no such process
 * exists, or it is this very process but the name was not given here (a previous
 * run of this process that got the same pid, as in a restarted container), that
 * worker is dead. Anything else (another machine, another container, a pid that
 * now belongs to some other live process) is "unknown", and the caller falls back
 * to heartbeats. No library does this (it is three Linux facts), hence written here.
 */

const liveHere = new Set<string>();

function readOr(fn: () => string, fallback: string): string {
  try {
    return fn().trim();
  } catch {
    return fallback;
  }
}

let place: { host: string; boot: string; pidns: string } | undefined;

/** Where this process runs; empty parts (not Linux) make every other name "unknown". */
function here(): { host: string; boot: string; pidns: string } {
  place ??= {
    host: hostname().replace(/\//g, '_'),
    boot: readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'), ''),
    pidns: readOr(() => /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '', ''),
  };
  return place;
}

/** A new worker name in this process (kept as alive for the life of the process). */
export function newWorkerName(): string {
  const { host, boot, pidns } = here();
  const name = `${host}/${boot}/${pidns}/${process.pid}/${randomBytes(4).toString('hex')}`;
  liveHere.add(name);
  return name;
}

export type Liveness = 'dead' | 'unknown';

/** Whether the worker of this name is certainly gone (see above). */
export function localLiveness(name: string): Liveness {
  if (liveHere.has(name)) return 'unknown';
  const parts = name.split('/');
  if (parts.length !== 5) return 'unknown';
  const [host, boot, pidns, pidText] = parts as [string, string, string, string, string];
  const me = here();
  if (!boot || !pidns || host !== me.host || boot !== me.boot || pidns !== me.pidns) return 'unknown';
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return 'unknown';
  if (pid === process.pid) return 'dead';
  try {
    process.kill(pid, 0);
    return 'unknown';
  } catch (err) {
    // EPERM: a process with that pid exists (someone else's): not known to be dead.
    return (err as NodeJS.ErrnoException).code === 'ESRCH' ? 'dead' : 'unknown';
  }
}
