import { suggestAnswers } from '../../../../src/ai/knowledge/answers';
import { findDuplicates } from '../../../../src/ai/knowledge/duplicates';
import { knowledgeFromResolvedTicket, type KnowledgeEntry } from '../../../../src/ai/knowledge/knowledge-entry';
import { ANSWER_MIN_SCORE, DUPLICATE_MIN_SCORE } from '../../../../src/ai/knowledge/thresholds';

const now = new Date('2025-03-01T10:00:00Z');
const resolved = {
  id: 't1',
  key: 'T-1001',
  title: 'VPN error 809 from home',
  description: 'Since the update I get error 809. Call me at +44 20 7946 0958 or bob@example.com',
  category: 'network',
  status: 'resolved' as const,
};

describe('knowledgeFromResolvedTicket', () => {
  it('drafts an entry from the public part of the resolution note', () => {
    const note = [
      'Open the VPN client, choose Settings > Protocol and switch to IKEv2.',
      'internal: the firewall rule FW-22 was changed by Alice, do not tell users',
      '[internal]admin password is in the vault[/internal]',
      '// ticket was escalated twice',
      'Then reconnect. @channel',
    ].join('\n');
    const e = knowledgeFromResolvedTicket(resolved, note, { now })!;
    expect(e).toMatchObject({
      id: 'kb-t1',
      ticketKey: 'T-1001',
      category: 'network',
      status: 'draft',
      locale: 'en',
      uses: 0,
      deflections: 0,
      createdAt: now,
      updatedAt: now,
    });
    expect(e.answer).toBe('Open the VPN client, choose Settings > Protocol and switch to IKEv2.\nThen reconnect. channel');
    expect(e.answer).not.toMatch(/FW-22|password|escalated|@channel/);
    expect(e.question).toContain('VPN error 809 from home');
    expect(e.question).not.toMatch(/7946|bob@example\.com/);
    expect(e.question).toContain('[email]');
  });

  it('removes multi-line and unterminated internal blocks', () => {
    const note =
      'Restart the router.\n[internal]\nserver: 10.0.0.5\nroot pw hunter2\n[/internal]\nIt should work. [internal]ask Bob[/internal] Thanks\n[internal] rest is private\nsecret';
    const e = knowledgeFromResolvedTicket(resolved, note, { now })!;
    expect(e.answer).toBe('Restart the router.\nIt should work.  Thanks');
  });

  it('detects Chinese, and returns undefined when only internal notes remain', () => {
    const zh = { ...resolved, title: 'VPN 连不上', description: '' };
    expect(knowledgeFromResolvedTicket(zh, '在设置里把协议改成 IKEv2 后重连。', { now })!.locale).toBe('zh');
    expect(knowledgeFromResolvedTicket(resolved, 'internal: fixed on the server\n内部: 不对外', { now })).toBeUndefined();
  });

  it('refuses a ticket that is not resolved', () => {
    expect(() => knowledgeFromResolvedTicket({ ...resolved, status: 'in_progress' }, 'x', { now })).toThrow(
      expect.objectContaining({ code: 'chatdesk_ticket_invalid' }),
    );
  });
});

function entry(id: string, question: string, status: KnowledgeEntry['status'] = 'published'): KnowledgeEntry {
  return {
    id,
    ticketKey: `T-${id}`,
    question,
    answer: `answer ${id}`,
    category: 'it',
    status,
    locale: 'en',
    createdAt: now,
    updatedAt: now,
    uses: 0,
    deflections: 0,
  };
}

describe('findDuplicates / suggestAnswers', () => {
  const open = [
    { id: '1', key: 'T-1', title: 'VPN will not connect from home', description: 'error 809' },
    { id: '2', key: 'T-2', title: 'Printer on floor 2 is jammed' },
    { id: '3', key: 'T-3', title: '打印机卡纸了' },
  ];

  it('links a near-identical ticket and not an unrelated one', () => {
    expect(findDuplicates({ title: 'VPN will not connect from home', description: 'error 809 again' }, open).map((d) => d.key)).toEqual(['T-1']);
    expect(findDuplicates('my monitor flickers', open)).toEqual([]);
    expect(findDuplicates('打印机卡纸了', open).map((d) => d.key)).toEqual(['T-3']);
    expect(findDuplicates({ title: 'VPN will not connect from home', description: 'error 809' }, open, { excludeId: '1' })).toEqual([]);
  });

  it('uses the calibrated thresholds by default', () => {
    const weak = findDuplicates('VPN home', open, { minScore: 0.01 })[0]!;
    expect(weak.key).toBe('T-1');
    expect(weak.score).toBeLessThan(DUPLICATE_MIN_SCORE.en);
    expect(findDuplicates('VPN home', open)).toEqual([]);
  });

  it('suggests published answers only (drafts on request, rejected never)', () => {
    const entries = [
      entry('a', 'How do I reset my password?', 'draft'),
      entry('b', 'How do I reset my password', 'rejected'),
      entry('c', 'how can I reset my password'),
    ];
    expect(suggestAnswers('how do I reset my password', entries).map((s) => s.entry.id)).toEqual(['c']);
    expect(suggestAnswers('how do I reset my password', entries, { includeDrafts: true }).map((s) => s.entry.id)).toEqual(['a', 'c']);
    const s = suggestAnswers('how do I reset my password', entries)[0]!;
    expect(s.score).toBeGreaterThanOrEqual(ANSWER_MIN_SCORE.en);
    expect(suggestAnswers('the coffee machine is broken', entries)).toEqual([]);
  });
});
