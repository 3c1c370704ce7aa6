/**
 * What a restarted SLA worker pays before its first send (not a test): N
 * tickets seeded like the SLA bench, then, on a fresh connection each time (a
 * process with nothing in memory), each read of the restart path, timed.
 *
 * Usage: npm run build && node dist/bench/sla/restart.bench.js [--tickets 10000] [--runs 5]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/logger';
import { openStore } from '../../src/store/database';
import { registerModels } from '../../src/store/ticket.model';
import { startEmbeddedMongo } from '../../src/store/embedded-mongo';
import { seedSlaBench } from './seed';
import { arg } from './args';

const N = Number(arg('tickets', '10000'));
const RUNS = Number(arg('runs', '5'));
const logger = createLogger({ level: 'warn' });

async function main(): Promise<void> {
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo({ dataDir: mkdtempSync(join(tmpdir(), 'chatdesk-sla-restart-')), logger });
  const url = new URL(process.env.MONGODB_URI ?? embedded!.uri);
  url.pathname = `/slarestart_${Date.now()}`;
  const uri = url.toString();
  // Due from 30 s ago over 60 s: a restart mid-window, half overdue, half coming.
  await seedSlaBench(uri, { tickets: N, windowS: 60, leadS: -30, targetMin: 10 }, logger);
  const rows: Record<string, number[]> = {};
  const note = (name: string, ms: number) => (rows[name] ??= []).push(ms);
  try {
    for (let run = 0; run < RUNS; run++) {
      const store = await openStore({ uri, dataDir: '.data', logger });
      const log = store.slaNotifications;
      const models = registerModels(store.connection);
      let t = performance.now();
      if (run % 2 === 0) {
        // The restart path: one warm-up, everything side by side.
        const timers = await log.warmUp(new Date(Date.now() + 30_000), 10_000);
        note('warmUp: wake-ups due within 30 s and their copies', performance.now() - t);
        note('warmUp: wake-ups', timers.length);
        note('warmUp: copies taken', log.stats().fromSnapshots);
        await store.close();
        continue;
      }
      const timers = await log.dueTimers(new Date(Date.now() + 30_000), 10_000);
      note(`timers due within 30 s (${timers.length})`, performance.now() - t);
      const soon = timers.filter((tm) => tm.at.getTime() <= Date.now() + 2000).map((tm) => tm.ticketId);
      t = performance.now();
      await models.SlaHead.find({}).lean();
      note('sla_heads, all', performance.now() - t);
      t = performance.now();
      const snaps = await models.SlaSnapshot.find({ from: { $lte: new Date(Date.now() + 30_000) } }).lean();
      note(`sla_snapshots from <= now+30 s (${snaps.length})`, performance.now() - t);
      const bytes = snaps.reduce((sum, p) => sum + (Buffer.isBuffer(p.s) ? p.s.length : p.s.buffer.length), 0);
      note('pack bytes per ticket (deflated)', bytes / N);
      t = performance.now();
      await models.SlaSnapshot.find({ from: { $lte: new Date(Date.now() + 2000) } }).lean();
      note(`sla_snapshots from <= now+2 s`, performance.now() - t);
      t = performance.now();
      await models.SlaSnapshot.find({}).lean();
      note('sla_snapshots, all', performance.now() - t);
      t = performance.now();
      await models.SlaSnapshot.find({}, { s: 0 }).lean();
      note('sla_snapshots, all, without s', performance.now() - t);
      t = performance.now();
      await models.SlaSnapshot.find({ from: { $lte: new Date(Date.now() + 2000) } }, { _id: 1 }).lean();
      note(`sla_snapshots from <= now+2 s, _id only`, performance.now() - t);
      t = performance.now();
      await Promise.all([
        models.SlaTimer.find({ from: { $lte: new Date(Date.now() + 30_000) } }).lean(),
        models.SlaHead.find({}).lean(),
        models.SlaSnapshot.find({ from: { $lte: new Date(Date.now() + 30_000) } }).lean(),
      ]);
      note('the three at once', performance.now() - t);
      t = performance.now();
      await log.prefetch(soon);
      note(`prefetch of the tickets due by now+2 s`, performance.now() - t);
      t = performance.now();
      await log.prefetch(timers.map((tm) => tm.ticketId));
      note(`prefetch of the rest`, performance.now() - t);
      note('tickets read (not from copies)', log.stats().ticketsRead);
      await store.close();
    }
  } finally {
    await embedded?.stop();
  }
  for (const [name, ms] of Object.entries(rows)) {
    const s = [...ms].sort((a, b) => a - b);
    process.stdout.write(`${name.padEnd(52)} median ${s[Math.floor(s.length / 2)]!.toFixed(1).padStart(8)}  min ${s[0]!.toFixed(1).padStart(8)}  max ${s.at(-1)!.toFixed(1).padStart(8)}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
