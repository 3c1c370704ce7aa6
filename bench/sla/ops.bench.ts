/**
 * Per-operation costs of the database calls the SLA worker can use (not a test):
 * N ticket documents like the SLA bench seeds (each with its wake-up) and a
 * notification log of N rows. Prints the median of a few runs of each call.
 *
 * Usage: npm run build && node dist/bench/sla/ops.bench.js [--tickets 10000] [--batch 100]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { Types } from 'mongoose';
import { createLogger } from '../../src/logger';
import { startEmbeddedMongo } from '../../src/store/embedded-mongo';
import { toNewRecord } from '../../src/store/ticket.mapper';
import { arg } from './args';
import { benchTicket } from './seed';

const N = Number(arg('tickets', '10000'));
const BATCH = Number(arg('batch', '100'));
const logger = createLogger({ level: 'warn' });

async function time(name: string, runs: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  process.stdout.write(`${name.padEnd(58)} median ${ms[Math.floor(ms.length / 2)]!.toFixed(1).padStart(7)} ms  min ${ms[0]!.toFixed(1).padStart(7)} ms\n`);
}

async function main(): Promise<void> {
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo({ dataDir: mkdtempSync(join(tmpdir(), 'chatdesk-sla-ops-')), logger });
  const url = new URL(process.env.MONGODB_URI ?? embedded!.uri);
  url.pathname = `/slaops_${Date.now()}`;
  const conn = await mongoose.createConnection(url.toString()).asPromise();
  const db = conn.db!;
  try {
    const tickets = db.collection<Record<string, unknown>>('tickets');
    const log = db.collection<Record<string, unknown>>('sla_notifications');
    const audit = db.collection<Record<string, unknown>>('sla_audit');
    await log.createIndex({ ticketId: 1 });
    await tickets.createIndex({ slaSlot: 1 });
    await tickets.createIndex({ slaLive: 1 });
    const ids: string[] = [];
    const base = Date.now();
    const docs = [];
    for (let i = 0; i < N; i++) {
      const created = new Date(base - 600_000);
      const ticket = benchTicket(i, created, {
        activity: [
          { at: created, action: 'created', actor: { platform: 'playground', id: 'u' } },
          { at: created, action: 'classified', actor: { platform: 'system', id: 'chatdesk' }, to: 'software/P2', note: 'bench' },
        ],
        slaNextAt: new Date(base + i * 6),
      });
      const id = new Types.ObjectId().toHexString();
      ids.push(id);
      docs.push(toNewRecord(id, ticket));
    }
    for (let i = 0; i < N; i += 1000) {
      await tickets.insertMany(docs.slice(i, i + 1000) as never[]);
      await log.insertMany(ids.slice(i, i + 1000).map((id) => ({ _id: `${id}:old`, ticketId: id, state: 'sent', at: new Date(base) })) as never[]);
    }
    const batch = (i: number) => ids.slice((i * BATCH) % N, ((i * BATCH) % N) + BATCH);
    const inFlight = async (list: readonly string[], n: number, fn: (id: string) => Promise<unknown>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: n }, async () => {
          while (next < list.length) await fn(list[next++] as string);
        }),
      );
    };
    const ping = () => ({
      at: new Date(),
      action: 'sla_reminder',
      actor: { platform: 'system', id: 'chatdesk' },
      to: 'agent_channel',
      note: 'first_response 100%',
    });
    const slot0 = Math.floor(base / 1000);
    process.stdout.write(`${N} tickets (a wake-up every 6 ms: ~167 a second), batch ${BATCH}\n`);
    // What the worker does: read the coming seconds' tickets, claim, record (one update per ticket).
    await time('tickets.find({slaSlot}) (one second of wake-ups)', 5, (i) => tickets.find({ slaSlot: slot0 + i }).toArray());
    await time('tickets.find({slaLive: true}, {_id, slaNextAt, slaSlot}) (the full read: live timers only)', 3, () =>
      tickets.find({ slaLive: true }, { projection: { _id: 1, slaNextAt: 1, slaSlot: 1, version: 1 } }).toArray(),
    );
    await time('tickets.find({slaSlot: {$lte}}, {_id, slaNextAt}) (the full read before slaLive)', 3, () =>
      tickets.find({ slaSlot: { $lte: slot0 + 10 } }, { projection: { _id: 1, slaNextAt: 1, version: 1 } }).toArray(),
    );
    await time(`sla_notifications.insertMany(${BATCH}, ordered:false)`, 3, (i) =>
      log.insertMany(batch(i).map((id) => ({ _id: `${id}:k${i}`, ticketId: id, state: 'sending', at: new Date() })) as never[], { ordered: false }),
    );
    await time(`${BATCH} x tickets.updateOne({_id, version}, $push activity, $addToSet slaSent, $set slaNextAt), 16 in flight`, 3, (i) =>
      inFlight(batch(i + 10), 16, (id) =>
        tickets.updateOne({ _id: id as never }, {
          $push: { activity: ping() },
          $addToSet: { slaSent: `${id}:k${i}` },
          $set: { slaNextAt: new Date(base + 3_600_000), slaSlot: slot0 + 3600 },
          $inc: { version: 1 },
        } as never),
      ),
    );
    // Alternatives, measured to choose.
    await time(`tickets.bulkWrite(${BATCH} x updateOne {_id, version} ..., ordered:false)`, 3, (i) =>
      tickets.bulkWrite(
        batch(i + 30).map((id) => ({
          updateOne: {
            filter: { _id: id as never, version: 1 },
            update: {
              $push: { activity: ping() },
              $addToSet: { slaSent: `${id}:b${i}` },
              $set: { slaNextAt: new Date(base + 3_600_000), slaSlot: slot0 + 3600 },
              $inc: { version: 1 },
            },
          },
        })) as never,
        { ordered: false },
      ),
    );
    await time('tickets.findOne({_id})', 20, (i) => tickets.findOne({ _id: ids[i * 37] as never }));
    await time(`${BATCH} x tickets.findOne({_id}), 16 in flight`, 3, (i) => inFlight(batch(i), 16, (id) => tickets.findOne({ _id: id as never })));
    await time(`tickets.find({_id: {$in: ${BATCH}}})`, 3, (i) => tickets.find({ _id: { $in: batch(i) } as never }).toArray());
    await time(`sla_audit.insertMany(${BATCH}, ordered:false) (the audit kept apart)`, 3, (i) =>
      audit.insertMany(batch(i).map((id) => ({ _id: `${id}#${i}`, ticketId: id, key: `k${i}`, pos: 2, entry: ping() })) as never[], { ordered: false }),
    );
  } finally {
    await conn.close();
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
