/** What the console stores to find tickets by word, and how it writes an export a spreadsheet opens safely. */
import { loadSlaConfig } from '../../../src/config/sla-config';
import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import { deskConfigSchema } from '../../../src/config/desk-config.schema';
import { ticketsCsv } from '../../../src/console/queue-export';
import { parseQueueQuery } from '../../../src/console/queue-query';
import { searchWords } from '../../../src/domain/ticket/search-words';
import type { Ticket } from '../../../src/domain/ticket/ticket';

describe('search words', () => {
  it('lowercases Latin words, cuts Chinese into overlapping pairs, and drops punctuation', () => {
    expect(searchWords('VPN drops: T-1001, again!')).toEqual(['vpn', 'drops', '1001', 'again']);
    expect(searchWords('打印机卡纸')).toEqual(['打印', '印机', '机卡', '卡纸']);
    expect(searchWords('无法连接VPN')).toEqual(['无法', '法连', '连接', 'vpn']);
    expect(searchWords('门')).toEqual(['门']);
  });

  it('reads a query the same way, so typed words meet stored ones; unknown filter values are dropped', () => {
    const q = parseQueueQuery(new URLSearchParams('q=打印机&status=resolved&status=bogus&priority=P9&sort=evil&page=-3'));
    expect(q.words).toEqual(['打印', '印机']);
    expect(q.status).toEqual(['resolved']);
    expect(q.priority).toEqual([]);
    expect(q.sort).toBe('newest');
    expect(q.page).toBe(1);
    expect(parseQueueQuery(new URLSearchParams('')).status).toEqual(['new', 'triaged', 'in_progress', 'waiting_on_requester']);
    expect(parseQueueQuery(new URLSearchParams('status=any')).status).toEqual([]);
  });
});

describe('CSV export', () => {
  const ticket = {
    id: 'x',
    number: 1001,
    key: 'T-1001',
    title: '=HYPERLINK("http://evil") 打印机 "quoted"',
    description: '',
    type: 'incident',
    fields: {},
    requester: { platform: 'slack', id: 'U1', name: '张三' },
    team: 'it',
    category: 'hardware',
    categoryConfidence: 1,
    priority: 'P2',
    priorityConfidence: 1,
    classificationReason: '',
    status: 'new',
    escalationLevel: 0,
    tags: ['vpn'],
    agentCards: [],
    createdAt: new Date('2026-11-23T09:00:00Z'),
    updatedAt: new Date('2026-11-23T09:00:00Z'),
    activity: [],
    version: 1,
  } as unknown as Ticket;

  it('starts with a BOM, quotes every cell, and defuses cells a spreadsheet would run as formulas', () => {
    const csv = ticketsCsv([ticket], new Date('2026-11-23T10:00:00Z'), loadSlaConfig(deskConfigSchema.parse(defaultDeskConfig)));
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [head, row] = csv.slice(1).split('\r\n');
    expect(head).toBe('key,title,status,priority,team,category,requester,assignee,tags,sla,createdAt,firstResponseAt,resolvedAt');
    expect(row).toBe(
      '"T-1001","\'=HYPERLINK(""http://evil"") 打印机 ""quoted""","new","P2","it","hardware","张三 (slack:U1)","","vpn","none","2026-11-23T09:00:00.000Z","",""',
    );
  });
});
