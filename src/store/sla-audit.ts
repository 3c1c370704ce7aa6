import type { StoreModels } from './ticket.model';

/**
 * The SLA audit lives in each ticket's own activity (with the keys sent in
 * `slaSent`). Data written by an earlier version kept it apart, in `sla_audit`
 * (with `sla_heads`, `sla_snapshots` and its wake-ups in `sla_timers` beside it):
 * once, at the worker's start, its rows are folded into their tickets and those
 * collections dropped (each ticket's `slaNextAt` is its wake-up now). Entries a
 * full save had already copied into the ticket are not added twice.
 */

interface SideAuditRow {
  _id: string;
  ticketId: string;
  key: string;
  entry: { at: Date; action: string; to?: string | null; note?: string | null } & Record<string, unknown>;
}

const signature = (a: { at: Date; action: string; to?: string | null; note?: string | null }) =>
  `${new Date(a.at).getTime()}|${a.action}|${a.to ?? ''}|${a.note ?? ''}`;
const seq = (r: SideAuditRow) => Number(r._id.slice(r._id.lastIndexOf('#') + 1));

export async function foldSideAudit(models: StoreModels): Promise<void> {
  const db = models.Ticket.db;
  const names = new Set((await db.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  if (names.has('sla_audit')) {
    const rows = (await db.collection('sla_audit').find({}).toArray()) as unknown as SideAuditRow[];
    const byTicket = new Map<string, SideAuditRow[]>();
    for (const r of rows) byTicket.set(r.ticketId, [...(byTicket.get(r.ticketId) ?? []), r]);
    for (const [ticketId, list] of byTicket) {
      const own = await models.Ticket.findById(ticketId, { activity: 1 }).lean();
      if (!own) continue;
      const seen = new Set((own.activity ?? []).map(signature));
      const entries = list
        .sort((a, b) => seq(a) - seq(b))
        .filter((r) => !seen.has(signature(r.entry)))
        .map((r) => Object.fromEntries(Object.entries(r.entry).filter(([, v]) => v !== null && v !== undefined)));
      await models.Ticket.collection.updateOne({ _id: ticketId as never }, {
        $push: { activity: { $each: entries } },
        $addToSet: { slaSent: { $each: list.map((r) => r.key) } },
        $inc: { version: 1 },
      } as never);
    }
  }
  for (const name of ['sla_audit', 'sla_heads', 'sla_snapshots', 'sla_timers']) if (names.has(name)) await db.dropCollection(name);
}
