import type { KnowledgeEntry } from '../ai/knowledge/knowledge-entry';
import { csrfField, esc, fmtDate, layout, type Viewer } from './html';

/**
 * The knowledge base: the answers drawn from resolved tickets, with how often
 * each was offered (uses) and solved a request at intake (deflections). Edit
 * publishes the corrected answer; Reject stops it being offered. Both go
 * through the same core path as the buttons under the card in chat.
 */
export function knowledgePage(p: { viewer: Viewer; entries: KnowledgeEntry[]; zone: string; flash?: { ok: boolean; text: string } }): string {
  const uses = p.entries.reduce((n, e) => n + e.uses, 0);
  const deflections = p.entries.reduce((n, e) => n + e.deflections, 0);
  const rows = p.entries
    .map(
      (
        e,
      ) => `<tr data-entry="${esc(e.id)}"><td><a href="/console/tickets/${esc(e.ticketKey)}">${esc(e.ticketKey)}</a><br><span class="note">${esc(e.category)} · ${esc(fmtDate(e.updatedAt, p.zone))}</span></td>
<td class="status">${esc(e.status)}</td><td>${esc(e.question)}</td>
<td><form method="post" action="/console/knowledge/${esc(e.id)}/edit" class="kb-edit">${csrfField(p.viewer)}<textarea name="answer" maxlength="3000" required>${esc(e.answer)}</textarea><button type="submit">${e.status === 'draft' ? 'Publish' : 'Save'}</button></form></td>
<td data-uses>${e.uses}</td><td data-deflections>${e.deflections}</td>
<td><form method="post" action="/console/knowledge/${esc(e.id)}/reject">${csrfField(p.viewer)}<button type="submit" class="danger">Reject</button></form></td></tr>`,
    )
    .join('');
  const flash = p.flash ? `<p class="flash ${p.flash.ok ? 'ok' : 'error'}" role="status">${esc(p.flash.text)}</p>` : '';
  const body = `<h1>Knowledge</h1>${flash}
<p class="note">${p.entries.length} answers (drafts and published) · offered ${uses} times · solved ${deflections} requests at intake</p>
<table class="knowledge"><thead><tr><th>From</th><th>Status</th><th>Question</th><th>Answer</th><th>Uses</th><th>Deflections</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="7" class="empty">No answers yet: resolving a ticket with a note adds one.</td></tr>'}</tbody></table>`;
  return layout({ title: 'Knowledge', viewer: p.viewer, active: 'knowledge', body });
}
