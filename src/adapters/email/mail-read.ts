import { simpleParser } from 'mailparser';
import type { AttachmentInfo } from './mail-text';

/** A mail as chatdesk reads it, whatever arrived: the parts it uses, nothing else. */
export interface InboundMail {
  messageId?: string;
  from?: string;
  fromName?: string;
  subject: string;
  /** The plain text (or the HTML's text), before quotes and signatures are stripped. */
  text: string;
  inReplyTo?: string;
  /** Oldest first, as in the header. */
  references: string[];
  /** Lower-case header names, raw values (the first of each). */
  headers: Map<string, string>;
  attachments: AttachmentInfo[];
  /** Only the first `maxBytes` were downloaded (the attachments are listed from the server's structure). */
  truncated: boolean;
  /** The MIME could not be parsed: subject and sender come from the server's envelope. */
  unreadable: boolean;
}

/** The server's view of a message, fetched beside its source (IMAP ENVELOPE and BODYSTRUCTURE). */
export interface ServerView {
  size: number;
  envelope?: { subject?: string; messageId?: string; inReplyTo?: string; from?: Array<{ address?: string; name?: string }> };
  structure?: StructureNode;
}

export interface StructureNode {
  type: string;
  size?: number;
  encoding?: string;
  disposition?: string;
  parameters?: Record<string, string>;
  dispositionParameters?: Record<string, string>;
  childNodes?: StructureNode[];
}

/** HTML bodies larger than this are not turned into text (bounded work on hostile input). */
const MAX_HTML = 512 * 1024;

/** Attachments from the server's BODYSTRUCTURE: name and decoded size, nothing downloaded. */
export function structureAttachments(node: StructureNode | undefined): AttachmentInfo[] {
  if (!node) return [];
  if (node.childNodes?.length) return node.childNodes.flatMap(structureAttachments);
  const name = node.dispositionParameters?.filename ?? node.parameters?.name;
  const isBody = node.type.startsWith('text/') && node.disposition !== 'attachment' && !name;
  if (isBody || node.type.startsWith('multipart/')) return [];
  const encoded = node.size ?? 0;
  // Base64 in the usual 76-column lines: 3 bytes per 4 characters, less the line breaks (an estimate, nothing is downloaded).
  const bytes = node.encoding?.toLowerCase() === 'base64' ? Math.floor(((encoded * 76) / 78) * 0.75) : encoded;
  return [{ name: name ?? node.type, bytes }];
}

const firstAddress = (list?: Array<{ address?: string; name?: string }>) => list?.[0];

/**
 * Parses what was downloaded (at most the first `maxBytes` of the message).
 * Never throws: a mail whose MIME cannot be parsed comes back `unreadable`,
 * with the envelope's subject and sender, so it still opens a ticket.
 */
export async function readMail(source: Buffer, view: ServerView, maxBytes: number): Promise<InboundMail> {
  const truncated = view.size > maxBytes || source.length >= maxBytes;
  const env = view.envelope;
  try {
    const parsed = await simpleParser(source, { skipTextToHtml: true, skipImageLinks: true, maxHtmlLengthToParse: MAX_HTML });
    const headers = new Map<string, string>();
    for (const { key, line } of parsed.headerLines) {
      if (!headers.has(key)) headers.set(key, line.slice(line.indexOf(':') + 1).trim());
    }
    const from = parsed.from?.value[0];
    const references = typeof parsed.references === 'string' ? parsed.references.split(/\s+/) : (parsed.references ?? []);
    return {
      messageId: parsed.messageId ?? env?.messageId,
      from: from?.address?.toLowerCase() ?? firstAddress(env?.from)?.address?.toLowerCase(),
      fromName: from?.name || undefined,
      subject: (parsed.subject ?? env?.subject ?? '').trim(),
      text: parsed.text ?? '',
      inReplyTo: parsed.inReplyTo,
      references: references.filter(Boolean),
      headers,
      attachments: truncated
        ? structureAttachments(view.structure)
        : parsed.attachments.filter((a) => !a.related).map((a) => ({ name: a.filename ?? a.contentType, bytes: a.size })),
      truncated,
      unreadable: false,
    };
  } catch {
    const sender = firstAddress(env?.from);
    return {
      messageId: env?.messageId,
      from: sender?.address?.toLowerCase(),
      fromName: sender?.name,
      subject: (env?.subject ?? '').trim(),
      text: '',
      inReplyTo: env?.inReplyTo,
      references: [],
      headers: new Map(),
      attachments: structureAttachments(view.structure),
      truncated,
      unreadable: true,
    };
  }
}
