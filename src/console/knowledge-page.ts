import type { KnowledgeEntry } from '../ai/knowledge/knowledge-entry';
import { pick, type Texts } from './console-text';
import { csrfField, esc, fmtDate, layout, type Viewer } from './html';

const TEXT: Texts<
  | 'title'
  | 'publish'
  | 'save'
  | 'reject'
  | 'summary'
  | 'from'
  | 'status'
  | 'question'
  | 'answer'
  | 'uses'
  | 'deflections'
  | 'none'
  | 'draft'
  | 'published'
  | 'rejected'
> = {
  en: {
    title: 'Knowledge',
    publish: 'Publish',
    save: 'Save',
    reject: 'Reject',
    summary: '{n} answers (drafts and published) · offered {uses} times · solved {deflections} requests at intake',
    from: 'From',
    status: 'Status',
    question: 'Question',
    answer: 'Answer',
    uses: 'Uses',
    deflections: 'Deflections',
    none: 'No answers yet: resolving a ticket with a note adds one.',
    draft: 'draft',
    published: 'published',
    rejected: 'rejected',
  },
  zh: {
    title: '知识库',
    publish: '发布',
    save: '保存',
    reject: '驳回',
    summary: '{n} 条答案（草稿和已发布）· 推荐 {uses} 次 · 在提交时解决 {deflections} 个请求',
    from: '来源',
    status: '状态',
    question: '问题',
    answer: '答案',
    uses: '推荐次数',
    deflections: '直接解决',
    none: '还没有答案：带备注解决工单即会添加一条。',
    draft: '草稿',
    published: '已发布',
    rejected: '已驳回',
  },
};
type Key = keyof (typeof TEXT)['en'];

/**
 * The knowledge base: the answers drawn from resolved tickets, with how often
 * each was offered (uses) and solved a request at intake (deflections). Edit
 * publishes the corrected answer; Reject stops it being offered. Both go
 * through the same core path as the buttons under the card in chat.
 */
export function knowledgePage(p: { viewer: Viewer; entries: KnowledgeEntry[]; zone: string; flash?: { ok: boolean; text: string } }): string {
  const tx = (k: Key, params: Record<string, string | number> = {}) => esc(pick(TEXT, p.viewer.locale, k, params));
  const uses = p.entries.reduce((n, e) => n + e.uses, 0);
  const deflections = p.entries.reduce((n, e) => n + e.deflections, 0);
  const rows = p.entries
    .map(
      (
        e,
      ) => `<tr data-entry="${esc(e.id)}"><td><a href="/console/tickets/${esc(e.ticketKey)}">${esc(e.ticketKey)}</a><br><span class="note">${esc(e.category)} · ${esc(fmtDate(e.updatedAt, p.zone))}</span></td>
<td class="status" data-status="${esc(e.status)}">${e.status in TEXT.en ? tx(e.status as Key) : esc(e.status)}</td><td>${esc(e.question)}</td>
<td><form method="post" action="/console/knowledge/${esc(e.id)}/edit" class="kb-edit">${csrfField(p.viewer)}<textarea name="answer" maxlength="3000" required>${esc(e.answer)}</textarea><button type="submit">${tx(e.status === 'draft' ? 'publish' : 'save')}</button></form></td>
<td data-uses>${e.uses}</td><td data-deflections>${e.deflections}</td>
<td><form method="post" action="/console/knowledge/${esc(e.id)}/reject">${csrfField(p.viewer)}<button type="submit" class="danger">${tx('reject')}</button></form></td></tr>`,
    )
    .join('');
  const flash = p.flash ? `<p class="flash ${p.flash.ok ? 'ok' : 'error'}" role="status">${esc(p.flash.text)}</p>` : '';
  const body = `<h1>${tx('title')}</h1>${flash}
<p class="note">${tx('summary', { n: p.entries.length, uses, deflections })}</p>
<table class="knowledge"><thead><tr><th>${tx('from')}</th><th>${tx('status')}</th><th>${tx('question')}</th><th>${tx('answer')}</th><th>${tx('uses')}</th><th>${tx('deflections')}</th><th></th></tr></thead>
<tbody>${rows || `<tr><td colspan="7" class="empty">${tx('none')}</td></tr>`}</tbody></table>`;
  return layout({ title: pick(TEXT, p.viewer.locale, 'title'), viewer: p.viewer, active: 'knowledge', body });
}
