/**
 * The other chatdesk processes that share this database. Each process shows
 * itself (at start, then every `beatMs`) before and while it writes; a process
 * that saw no other since a moment knows every change since then is its own.
 */
export interface PeerProcesses {
  /** How often a process shows itself: one that writes is never longer than this unseen. */
  readonly beatMs: number;
  /** The earliest moment another process was last seen at, among those seen since `since`; undefined when none was. */
  othersSince(since: Date): Promise<Date | undefined>;
}
