/**
 * Auto-assignment decided once across processes: while `pick` runs for a team,
 * no other process (or call) picks for that team, and the round-robin position
 * it returns is stored for the next pick. Implemented in src/store.
 */
export interface TeamAssignment {
  decide<T>(team: string, pick: (lastIndex: number | undefined) => Promise<{ value: T; index?: number }>): Promise<T>;
}

/** One process only (tests, benches without a database): the same contract in memory. */
export class InProcessTeamAssignment implements TeamAssignment {
  private readonly last = new Map<string, number>();
  private readonly tails = new Map<string, Promise<unknown>>();

  async decide<T>(team: string, pick: (lastIndex: number | undefined) => Promise<{ value: T; index?: number }>): Promise<T> {
    const before = this.tails.get(team) ?? Promise.resolve();
    const run = before
      .catch(() => undefined)
      .then(async () => {
        const { value, index } = await pick(this.last.get(team));
        if (index !== undefined) this.last.set(team, index);
        return value;
      });
    this.tails.set(team, run);
    return run;
  }
}
