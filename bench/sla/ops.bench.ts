/**
 * Per-operation costs of the database calls the SLA worker can use (not a test):
 * N ticket documents like the SLA bench seeds, a timer document per ticket, and
 * a notification log of N rows. Prints the median of a few runs of each call.
 *
 * Usage: npm run build && node dist/bench/sla/ops.bench.js [--tickets 10000] [--batch 170]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { Types } from 'mongoose';
import { startClock } from '../../src/domain/sla/clock';
import type { Ticket } from '../../src/domain/ticket/ticket';
import { createLogger } from '../../src/logger';
import { startEmbeddedMongo } from '../../src/store/embedded-mongo';
import { toRecord } from '../../src/store/ticket.mapper';
import { arg } from './args';

const N = Number(arg('tickets', '10000'));
const BATCH = Number(arg('batch', '170'));
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
    const timers = db.collection<Record<string, unknown>>('sla_timers');
    const log = db.collection<Record<string, unknown>>('sla_notifications');
    const audit = db.collection<Record<string, unknown>>('sla_audit');
    await log.createIndex({ ticketId: 1 });
    const ids: string[] = [];
    const base = Date.now();
    const docs = [];
    for (let i = 0; i < N; i++) {
      const created = new Date(base - 600_000);
      const ticket: Omit<Ticket, 'id'> = {
        number: 100000 + i, key: `B-${100000 + i}`, title: `Bench ticket ${i}`, description: '', type: 'incident', fields: {},
        requester: { platform: 'playground', id: `user${i % 500}` }, team: 'it', category: 'software', categoryConfidence: 0.9, priority: 'P2',
        priorityConfidence: 0.9, classificationReason: 'bench', status: 'new', escalationLevel: 0, tags: [],
        agentCards: [{ platform: 'playground', channelId: 'agents', messageId: `card-${i}` }], createdAt: created, updatedAt: created,
        activity: [{ at: created, action: 'created', actor: { platform: 'playground', id: 'u' } }, { at: created, action: 'classified', actor: { platform: 'system', id: 'chatdesk' }, to: 'software/P2', note: 'bench' }],
        sla: startClock(created, 'P2'), slaNextAt: new Date(base + i * 6), version: 1,
      };
      const id = new Types.ObjectId().toHexString();
      ids.push(id);
      docs.push({ _id: id, ...toRecord(ticket) });
    }
    for (let i = 0; i < N; i += 1000) {
      await tickets.insertMany(docs.slice(i, i + 1000) as never[]);
      await timers.insertMany(ids.slice(i, i + 1000).map((id, j) => ({ _id: id, nextAt: new Date(base + (i + j) * 6) })) as never[]);
      await log.insertMany(ids.slice(i, i + 1000).map((id) => ({ _id: `${id}:old`, ticketId: id, state: 'sent', at: new Date(base) })) as never[]);
    }
    const batch = (i: number) => ids.slice((i * BATCH) % N, ((i * BATCH) % N) + BATCH);
    process.stdout.write(`${N} tickets, batch ${BATCH}\n`);
    await time('tickets.findOne({_id})', 20, (i) => tickets.findOne({ _id: ids[i * 37] as never }));
    await time('sla_timers.findOne({_id})', 20, (i) => timers.findOne({ _id: ids[i * 37] as never }));
    await time(`${BATCH} x tickets.findOne({_id}), 16 in flight`, 3, async (i) => {
      const b = batch(i);
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (next < b.length) await tickets.findOne({ _id: b[next++] as never });
      }));
    });
    await time(`tickets.find({_id: {$in: ${BATCH}}})`, 3, (i) => tickets.find({ _id: { $in: batch(i) } as never }).toArray());
    await time('tickets.find({slaNextAt: {$lte}}).sort.limit(2000) (ids)', 3, () => tickets.find({ slaNextAt: { $lte: new Date(base + BATCH * 6) } }, { projection: { _id: 1 } }).sort({ slaNextAt: 1 }).limit(2000).toArray());
    await time('sla_timers.find({nextAt: {$lte}}) (full docs)', 5, () => timers.find({ nextAt: { $lte: new Date(base + BATCH * 6) } }).toArray());
    await time('sla_timers.find({nextAt: {$lte}}).sort.limit(2000)', 5, () => timers.find({ nextAt: { $lte: new Date(base + BATCH * 6) } }).sort({ nextAt: 1 }).limit(2000).toArray());
    await time('sla_notifications.find({ticketId})', 5, (i) => log.find({ ticketId: ids[i] }).toArray());
    await time(`sla_notifications.find({ticketId: {$in: ${BATCH}}})`, 3, (i) => log.find({ ticketId: { $in: batch(i) } }).toArray());
    await time(`sla_notifications.insertMany(${BATCH}, ordered:false)`, 3, (i) =>
      log.insertMany(batch(i).map((id) => ({ _id: `${id}:k${i}`, ticketId: id, state: 'sending', at: new Date() })) as never[], { ordered: false }));
    // Updates: FerretDB writes each updated document in a transaction of its own, so these use 20 documents.
    const few = (i: number) => batch(i).slice(0, 20);
    await time('sla_notifications.bulkWrite(20 x updateOne {_id})', 3, (i) =>
      log.bulkWrite(few(i).map((id) => ({ updateOne: { filter: { _id: `${id}:k${i}` as never }, update: { $set: { state: 'sent', at: new Date() } } } })) as never, { ordered: false }));
    await time('sla_notifications.updateMany({_id: {$in: 20}})', 3, (i) =>
      log.updateMany({ _id: { $in: few(i).map((id) => `${id}:k${i}`) } as never }, { $set: { state: 'sent', at: new Date() } }));
    await time('tickets.bulkWrite(20 x updateOne {_id} $push activity)', 3, (i) =>
      tickets.bulkWrite(few(i).map((id) => ({ updateOne: { filter: { _id: id as never }, update: { $push: { activity: { at: new Date(), action: 'sla_reminder', actor: { platform: 'system', id: 'chatdesk' }, to: 'agent_channel', note: 'x' } }, $inc: { version: 1 } } } })) as never, { ordered: false }));
    await time(`sla_audit.insertMany(${BATCH}, ordered:false)`, 3, (i) =>
      audit.insertMany(batch(i).map((id) => ({ _id: `${id}#${i}`, ticketId: id, key: `k${i}`, pos: 2, entry: { at: new Date(), action: 'sla_reminder' } })) as never[], { ordered: false }));
    await time(`sla_timers.deleteMany({_id: {$in: ${BATCH}}})`, 3, (i) => timers.deleteMany({ _id: { $in: batch(i) } as never }));
    await time(`sla_timers.deleteMany({_id: {$in: ${BATCH * 5}}})`, 3, (i) => timers.deleteMany({ _id: { $in: ids.slice(5000 + i * BATCH * 5, 5000 + (i + 1) * BATCH * 5) } as never }));
    // The handled wake-ups are the earliest: bounding `at` first spares the `$in` for every later row.
    await time(`sla_timers.deleteMany({at: {$lte}, _id: {$in: ${BATCH}}})`, 3, (i) => {
      const b = ids.slice(i * BATCH, (i + 1) * BATCH);
      return timers.deleteMany({ nextAt: { $lte: new Date(base + (i + 1) * BATCH * 6) }, _id: { $in: b } as never });
    });
    await time(`sla_timers.deleteMany({at: {$lte}, _id: {$in: ${BATCH * 5}}})`, 3, (i) => {
      const b = ids.slice(1000 + i * BATCH * 5, 1000 + (i + 1) * BATCH * 5);
      return timers.deleteMany({ nextAt: { $lte: new Date(base + (1000 + (i + 1) * BATCH * 5) * 6) }, _id: { $in: b } as never });
    });
    await time(`${BATCH} x sla_timers.deleteOne({_id}), 8 in flight`, 3, async (i) => {
      const b = ids.slice(8500 + i * BATCH, 8500 + (i + 1) * BATCH);
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < b.length) await timers.deleteOne({ _id: b[next++] as never });
      }));
    });
    await time(`sla_timers.bulkWrite(${BATCH} x deleteOne {_id})`, 3, (i) =>
      timers.bulkWrite(ids.slice(7000 + i * BATCH, 7000 + (i + 1) * BATCH).map((id) => ({ deleteOne: { filter: { _id: id as never } } })) as never, { ordered: false }));
    await time('sla_audit.findOne({_id})', 10, (i) => audit.findOne({ _id: `${ids[i]}#${i % 3}` as never }));
  } finally {
    await conn.close();
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
