const DUPLICATE_KEY = 11000;

/**
 * Inserts `docs` as one unordered batch (one multi-row INSERT on FerretDB) and
 * returns the indexes refused as duplicate keys; the others are stored. Any
 * other error is thrown.
 */
export async function insertIgnoringDuplicates(
  collection: { insertMany(docs: never[], opts: { ordered: boolean }): Promise<unknown> },
  docs: readonly object[],
): Promise<Set<number>> {
  const dups = new Set<number>();
  if (docs.length === 0) return dups;
  try {
    await collection.insertMany(docs as never[], { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
    const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as Array<{ index: number; code: number }>;
    if (list.length === 0 && (err as { code?: number }).code === DUPLICATE_KEY && docs.length === 1) return new Set([0]);
    if (list.length === 0 || list.some((e) => e.code !== DUPLICATE_KEY)) throw err;
    for (const e of list) dups.add(e.index);
  }
  return dups;
}
