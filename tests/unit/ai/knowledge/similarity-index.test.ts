import { SimilarityIndex } from '../../../../src/ai/knowledge/similarity-index';

function idx(): SimilarityIndex<{ team: string }> {
  const i = new SimilarityIndex<{ team: string }>();
  i.add('a', 'VPN will not connect from home', { team: 'it' });
  i.add('b', 'The printer on floor 2 is jammed', { team: 'it' });
  i.add('c', 'How many vacation days do I have left', { team: 'hr' });
  i.add('d', '打印机卡纸了', { team: 'it' });
  i.add('e', 'VPN 连不上，提示错误 809', { team: 'it' });
  i.add('f', 'my laptop screen is cracked', { team: 'it' });
  return i;
}

describe('SimilarityIndex', () => {
  it('finds the paraphrase first, with scores between 0 and 1, best first', () => {
    const hits = idx().search('cannot connect to the VPN from my home', { k: 3 });
    expect(hits[0]!.id).toBe('a');
    expect(hits[0]!.score).toBeGreaterThan(0.4);
    for (const h of hits) expect(h.score).toBeLessThanOrEqual(1);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((x, y) => y - x));
  });

  it('scores an identical text 1 and an unrelated one not at all', () => {
    const i = idx();
    expect(i.search('The printer on floor 2 is jammed', { k: 1 })[0]).toMatchObject({ id: 'b' });
    expect(i.search('The printer on floor 2 is jammed', { k: 1 })[0]!.score).toBeCloseTo(1, 5);
    expect(i.search('zzzz qqqq', {})).toEqual([]);
  });

  it('handles Chinese text (character uni/bigrams)', () => {
    const i = idx();
    expect(i.search('打印机又卡纸', { k: 1 })[0]!.id).toBe('d');
    expect(i.search('VPN 连接不上', { k: 1 })[0]!.id).toBe('e');
  });

  it('applies k, minScore and filter', () => {
    const i = idx();
    expect(i.search('VPN', { k: 1 })).toHaveLength(1);
    const all = i.search('VPN connect', { k: 10 });
    const cut = i.search('VPN connect', { k: 10, minScore: all[0]!.score });
    expect(cut.map((h) => h.id)).toEqual([all[0]!.id]);
    expect(i.search('vacation days', { filter: (m) => m.team === 'it' }).map((h) => h.id)).not.toContain('c');
    expect(i.search('vacation days', { k: 0 })).toEqual([]);
  });

  it('removes and replaces entries', () => {
    const i = idx();
    expect(i.remove('a')).toBe(true);
    expect(i.remove('a')).toBe(false);
    expect(i.search('VPN will not connect from home', { k: 5 }).map((h) => h.id)).not.toContain('a');
    i.add('b', 'email inbox is not syncing', { team: 'it' });
    expect(i.size).toBe(5);
    expect(i.search('printer jammed', { k: 5 }).map((h) => h.id)).not.toContain('b');
    expect(i.search('inbox not syncing', { k: 1 })[0]!.id).toBe('b');
  });

  it('stays correct after many removals (compaction) and is deterministic', () => {
    const build = () => {
      const i = new SimilarityIndex<number>();
      for (let n = 0; n < 400; n++) i.add(`t${n}`, `ticket number ${n} about ${n % 2 ? 'printer toner' : 'wifi signal'} ${n % 7}`, n);
      for (let n = 0; n < 300; n++) i.remove(`t${n}`);
      return i;
    };
    const i = build();
    expect(i.size).toBe(100);
    const hits = i.search('printer toner', { k: 100 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.meta >= 300)).toBe(true); // removed texts never come back
    expect(hits.slice(0, 50).every((h) => h.meta % 2 === 1)).toBe(true); // the 50 printer tickets rank first
    expect(build().search('printer toner', { k: 5 })).toEqual(i.search('printer toner', { k: 5 }));
  });

  it('rejects an empty id', () => {
    expect(() => new SimilarityIndex().add('', 'x', undefined)).toThrow(TypeError);
  });
});
