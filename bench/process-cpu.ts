/**
 * CPU time of a process tree, from Linux /proc: the app, its embedded database
 * (FerretDB) and PostgreSQL's processes. Card latency on a shared 2-core VM
 * moves with whatever else runs (the same build gave 2,354 and 2,992 cards out
 * of 3,000 in two runs); CPU milliseconds per ticket is the figure that says
 * whether a change made the work cheaper.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime + cutime + cstime (reaped children count in their parent), in clock ticks. */
  ticks: number;
}

/** Clock ticks per second (USER_HZ); 100 on every Linux build this runs on. */
const HZ = 100;

function readStat(pid: number): ProcStat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s
      .slice(close + 2)
      .split(' ')
      .map((x) => Number(x));
    // Fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    return { pid, ppid: f[1]!, comm, ticks: f[11]! + f[12]! + f[13]! + f[14]! };
  } catch {
    return undefined;
  }
}

/** CPU ms of `root` and its descendants, grouped by a name per process (see `groupOf`), or undefined off Linux. */
export function treeCpuMs(root: number): Record<string, number> | undefined {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return undefined;
  }
  const stats = pids.map(readStat).filter((s): s is ProcStat => !!s);
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: Record<string, number> = {};
  const rootStat = stats.find((s) => s.pid === root);
  if (!rootStat) return undefined;
  const walk = (s: ProcStat, group: string) => {
    out[group] = (out[group] ?? 0) + (s.ticks * 1000) / HZ;
    for (const c of children.get(s.pid) ?? []) walk(c, groupOf(c.comm, group));
  };
  walk(rootStat, 'app');
  return out;
}

const groupOf = (comm: string, parent: string): string => (/ferretdb/i.test(comm) ? 'ferretdb' : /postgres|postmaster/i.test(comm) ? 'postgres' : parent);

/** What each group used between two readings. */
export function cpuDelta(before: Record<string, number> | undefined, after: Record<string, number> | undefined): Record<string, number> {
  if (!before || !after) return {};
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

/**
 * Milliseconds this machine takes for a fixed piece of work (300,000 chained
 * SHA-256 digests, one thread): printed beside each run so runs on a VM whose
 * speed drifts (390 to 660 ms on the team's 2-core machine within an hour) can be compared.
 */
export function cpuProbeMs(): number {
  const started = performance.now();
  let h = Buffer.alloc(32);
  for (let i = 0; i < 300_000; i++) h = createHash('sha256').update(h).digest();
  return Math.round(performance.now() - started);
}

/**
 * CPU time the hypervisor gave to other guests while this VM wanted it
 * (`steal` in /proc/stat, all cores), in ms; undefined off Linux. The share
 * of a run's wall time stolen tells a slow run of the machine from a slow build.
 */
export function stolenMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    // cpu user nice system idle iowait irq softirq steal …
    return (Number(fields[8]) * 1000) / HZ;
  } catch {
    return undefined;
  }
}
