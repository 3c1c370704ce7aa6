import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { mongo } from 'mongoose';
import type { Ticket } from '../domain/ticket/ticket';
import type { SlaAuditRecord, SlaSnapshotRecord } from './sla.model';
import type { StoreModels } from './ticket.model';

/**
 * The SLA worker's copies of tickets: the in-process read-ahead cache and the
 * packed copies it stores with its wake-ups (sla_snapshots), so a restarted
 * worker fires without reading every ticket. Used by mongo-sla-store.ts.
 */

const TICKET_COPY_TTL_MS = 60_000;

export interface TicketCopy {
  raw: Ticket;
  rows: SlaAuditRecord[];
  loadedAt: number;
}

/** A wake-up seen with a copy of its ticket in a pack of `sla_snapshots`. */
export interface SnapshotRef {
  packId: string;
  version: number;
  at: Date;
  seenAt: number;
}

/** Most copies in one pack (a `schedule` call of more makes several). */
export const PACK_MAX = 200;

/** Deflated BSON: about a third of the BSON's size (FerretDB's cost of a read grows with the collection's bytes). */
export function encodePack(copies: readonly TicketCopy[]): Buffer {
  return deflateRawSync(mongo.BSON.serialize({ c: copies.map((c) => ({ raw: c.raw, rows: c.rows })) }, { ignoreUndefined: true }), { level: 1 });
}

/** A pack's copies by `${ticketId}|${version}`. */
export function decodePack(record: Pick<SlaSnapshotRecord, 's'>, loadedAt: number): Map<string, TicketCopy> {
  const bytes = Buffer.isBuffer(record.s) ? record.s : record.s.buffer;
  const { c } = mongo.BSON.deserialize(inflateRawSync(bytes)) as { c?: Array<{ raw: Ticket; rows: SlaAuditRecord[] }> };
  return new Map((c ?? []).map(({ raw, rows }) => [`${raw.id}|${raw.version}`, { raw, rows, loadedAt }]));
}

/** What a bulk read of copies needs: every ticket's version in `sla_heads`, and the packs. */
export interface CopySources {
  heads: Map<string, number>;
  packs: Map<string, SlaSnapshotRecord>;
}

/**
 * Copies of tickets the SLA worker read ahead, per connection. On FerretDB (SQLite)
 * reading one ticket by `_id` costs a pass over the whole tickets table (its `_id`
 * index is not used for that query), so the worker reads the tickets it will need in
 * the next seconds with one bulk query and keeps them here. A copy is dropped when
 * this process saves the ticket, when a wake-up written for a newer version is seen
 * (another process saved it), and after a minute.
 */
export class TicketCopies {
  private readonly copies = new Map<string, TicketCopy>();
  private readonly changedAt = new Map<string, number>();
  /** The newest wake-up with a stored copy, per ticket not in `copies`: the copy is used once `sla_heads` confirms its version. */
  readonly snapshots = new Map<string, SnapshotRef>();

  snapshotSeen(id: string, ref: Omit<SnapshotRef, 'seenAt'>): void {
    if (this.copies.has(id)) return;
    const known = this.snapshots.get(id);
    if (!known || known.version < ref.version) this.snapshots.set(id, { ...ref, seenAt: performance.now() });
  }

  get(id: string): TicketCopy | undefined {
    const copy = this.copies.get(id);
    if (copy && performance.now() - copy.loadedAt > TICKET_COPY_TTL_MS) {
      this.copies.delete(id);
      return undefined;
    }
    return copy;
  }

  /** Keeps a copy read from `startedAt` on, unless the ticket changed here since. */
  put(id: string, copy: TicketCopy, startedAt: number): void {
    if ((this.changedAt.get(id) ?? -Infinity) >= startedAt) return;
    this.copies.set(id, copy);
  }

  changed(id: string): void {
    this.copies.delete(id);
    this.snapshots.delete(id);
    this.changedAt.set(id, performance.now());
  }

  seenVersion(id: string, version: number | undefined): void {
    const copy = this.copies.get(id);
    if (copy && version !== undefined && version > copy.raw.version) this.copies.delete(id);
  }

  prune(): void {
    const now = performance.now();
    for (const [id, copy] of this.copies) if (now - copy.loadedAt > TICKET_COPY_TTL_MS) this.copies.delete(id);
    for (const [id, at] of this.changedAt) if (now - at > 5 * TICKET_COPY_TTL_MS) this.changedAt.delete(id);
    for (const [id, snap] of this.snapshots) if (now - snap.seenAt > TICKET_COPY_TTL_MS) this.snapshots.delete(id);
  }
}

const copiesByModels = new WeakMap<StoreModels, TicketCopies>();
export function copiesOf(models: StoreModels): TicketCopies {
  let copies = copiesByModels.get(models);
  if (!copies) copiesByModels.set(models, (copies = new TicketCopies()));
  return copies;
}

