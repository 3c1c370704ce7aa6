/**
 * Serializes async work per key inside this process (one ticket's mutations
 * run one after another). Hand-written because it is a dozen lines and the
 * store needs it: FerretDB's findAndModify is not atomic, so two claims of one
 * ticket must not interleave here; MongoDB's conditional write is the
 * cross-process guard.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
