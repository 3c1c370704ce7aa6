/**
 * Is a worker that ran on this machine gone? Decided from its name alone, so a
 * restarted SLA worker takes over its predecessor's claims without waiting for
 * its heartbeat to go stale.
 */
import { spawnSync } from 'node:child_process';
import { localLiveness, newWorkerName } from '../../../src/store/worker-identity';

const withPid = (name: string, pid: number) =>
  name
    .split('/')
    .map((part, i) => (i === 3 ? String(pid) : part))
    .join('/');

describe('worker names', () => {
  it('a worker of this process is not taken for dead', () => {
    expect(localLiveness(newWorkerName())).toBe('unknown');
  });

  it('a worker whose process has exited on this machine is dead', () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const exited = Number(child.stdout);
    expect(exited).toBeGreaterThan(0);
    expect(localLiveness(withPid(newWorkerName(), exited))).toBe('dead');
  });

  it('an earlier run that had this process’s pid (a restarted container) is dead', () => {
    const earlier = newWorkerName().replace(/\/[0-9a-f]+$/, '/00000000');
    expect(localLiveness(earlier)).toBe('dead');
  });

  it('a worker whose pid belongs to a live process, or that ran elsewhere, is unknown', () => {
    const name = newWorkerName();
    expect(localLiveness(withPid(name, process.ppid))).toBe('unknown');
    // Same pid as this process, but on another machine: nothing to ask.
    expect(localLiveness(`other-host${name.slice(name.indexOf('/'))}`.replace(/[0-9a-f]+$/, '00000000'))).toBe('unknown');
    expect(localLiveness('old-host:1234:abcd')).toBe('unknown');
  });
});
