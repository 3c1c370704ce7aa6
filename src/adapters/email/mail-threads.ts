import type { ConversationState } from '../../core/conversation-state.port';

/** Message-IDs kept from a thread's References (a long thread keeps its newest). */
const MAX_REFERENCES = 20;

/** The requester's first mail of a thread, as the desk needs it to answer it. */
export interface ThreadRoot {
  /** The requester's address. */
  from: string;
  subject: string;
  /** Its References plus its own Message-ID: what every answer carries. */
  references: string[];
}

/**
 * What chatdesk remembers of mail threads (in the conversation state, one
 * equality look-up per id): which thread each Message-ID belongs to (the
 * requester's mails and ours), which thread a ticket key names, and the root
 * mail that every answer in a thread replies to.
 */
export class MailThreads {
  constructor(private readonly state: ConversationState) {}

  rememberRoot(messageId: string, root: ThreadRoot): Promise<void> {
    const value: ThreadRoot = { ...root, references: [...root.references, messageId].slice(-MAX_REFERENCES) };
    return Promise.all([this.state.set('email', `root:${messageId}`, JSON.stringify(value)), this.state.set('email', `msg:${messageId}`, messageId)]).then(
      () => undefined,
    );
  }

  async root(rootId: string): Promise<ThreadRoot | undefined> {
    const raw = await this.state.get('email', `root:${rootId}`);
    return raw ? (JSON.parse(raw) as ThreadRoot) : undefined;
  }

  /** A mail chatdesk sent (or took in) in the thread of `rootId`. */
  rememberMessage(messageId: string, rootId: string): Promise<void> {
    return this.state.set('email', `msg:${messageId}`, rootId);
  }

  rememberKey(key: string, rootId: string): Promise<void> {
    return this.state.set('email', `key:${key}`, rootId);
  }

  /**
   * The thread a mail answers: the first of its In-Reply-To and References
   * (newest first) that chatdesk knows, else the thread of a ticket key in its
   * subject. Undefined for a mail that starts a conversation.
   */
  async threadOf(ids: readonly string[], subjectKey: string | undefined): Promise<string | undefined> {
    for (const id of ids.slice(0, MAX_REFERENCES)) {
      const root = await this.state.get('email', `msg:${id}`);
      if (root) return root;
    }
    return subjectKey ? this.state.get('email', `key:${subjectKey}`) : undefined;
  }
}
