/**
 * Something only one process of a deployment may run at a time (the Discord
 * Gateway session: two would both receive and answer every event). `run` keeps
 * trying to become the owner in the background; it calls `start` once it is,
 * and `stop` if it loses the lease (it stalled past it and another process
 * took over). `firstLook` ends after the first try (started, or found taken).
 * `release` stops and hands the lease on at once. Implemented in
 * src/store.
 */
export interface Singletons {
  run(name: string, start: () => Promise<void>, stop: () => Promise<void>): { firstLook: Promise<void>; release(): Promise<void> };
}
