/**
 * `--explain` of backend.bench.ts: how PostgreSQL runs FerretDB's equality
 * lookups on the tickets collection, with the GIN twins chatdesk's event
 * trigger adds (src/store/embedded-postgres.ts) and with FerretDB's btree
 * indexes alone (twins dropped for the measurement, then recreated).
 */
import type { Connection } from 'mongoose';
import pg from 'pg';
import type { Logger } from '../../src/logger';
import type { EmbeddedMongo } from '../../src/store/embedded-mongo';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

function planText(node: PlanNode, depth = 0): string {
  const bits = [
    node['Node Type'],
    node['Index Name'] && `on ${node['Index Name']}`,
    node['Index Cond'] && `cond ${node['Index Cond']}`,
    node.Filter && `filter ${node.Filter}`,
  ];
  return [`${'    '.repeat(depth)}${bits.filter(Boolean).join(' ')}`, ...(node.Plans ?? []).map((p) => planText(p, depth + 1))].join('\n');
}

async function median(fn: (i: number) => Promise<unknown>, n = 30): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(n / 2)]!;
}

export async function explainGin(conn: Connection, embedded: EmbeddedMongo, _logger: Logger): Promise<void> {
  if (!embedded.postgresUrl) return;
  const db = conn.db!;
  const tickets = db.collection<{ _id: string; version: number }>('tickets');
  const count = await tickets.estimatedDocumentCount();
  const sample = await tickets
    .find({}, { projection: { _id: 1, key: 1 } })
    .limit(200)
    .toArray();
  const ids = sample.map((d) => d._id);
  const keys = sample.map((d) => (d as unknown as { key: string }).key);
  const client = new pg.Client({ connectionString: embedded.postgresUrl });
  await client.connect();
  try {
    const schema = db.databaseName;
    const twins = (
      await client.query<{ name: string; def: string }>(
        `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_index i ON i.indexrelid = c.oid
          WHERE n.nspname = $1 AND c.relname LIKE 'chatdesk\\_gin\\_%' AND i.indrelid::regclass::text LIKE '%tickets\\_%'`,
        [schema],
      )
    ).rows;
    const lookups: Array<[string, Record<string, unknown>, (i: number) => Promise<unknown>]> = [
      ['findOne {_id}', { find: 'tickets', filter: { _id: ids[0] } }, (i) => tickets.findOne({ _id: ids[i % ids.length]! })],
      ['findOne {key} (unique field)', { find: 'tickets', filter: { key: keys[0] } }, (i) => tickets.findOne({ key: keys[i % keys.length]! } as never)],
      [
        'updateOne {_id, version}',
        { find: 'tickets', filter: { _id: ids[0], version: 1 } },
        async (i) => {
          const d = await tickets.findOne({ _id: ids[i % ids.length]! });
          await tickets.updateOne({ _id: d!._id, version: d!.version }, { $set: { version: d!.version + 1 } });
        },
      ],
    ];
    const report = async (label: string) => {
      process.stdout.write(`\n${label} (${count} tickets)\n`);
      for (const [name, cmd, fn] of lookups) {
        const ex = (await db.command({ explain: cmd })) as { queryPlanner: { Plan: PlanNode } };
        process.stdout.write(`  ${name}: p50 ${(await median(fn)).toFixed(2)} ms\n${planText(ex.queryPlanner.Plan, 1)}\n`);
      }
    };
    await report(`With chatdesk's GIN twins (${twins.map((t) => t.name).join(', ')})`);
    for (const t of twins) await client.query(`DROP INDEX ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(t.name)}`);
    try {
      await report("FerretDB's btree indexes only");
    } finally {
      for (const t of twins) await client.query(t.def);
    }
  } finally {
    await client.end();
  }
}
