import { UNKNOWN_CATEGORY } from '../../../src/ai/classifier.port';
import { OfflineTicketClassifier, LearningTicketClassifier, plain } from '../../../src/ai/offline/ticket-classifier';
import type { OfflineTextClassifier } from '../../../src/ai/offline/text-classifier';
import { SEED_CATEGORIES, loadSeedClassifier, loadSeedModels, seedRowsAll, seedTicketExamples } from '../../../src/ai/seed';

describe('seed taxonomy', () => {
  it('has at least 25 examples per category, in English and Chinese, and all four priorities', () => {
    const rows = seedRowsAll();
    for (const c of SEED_CATEGORIES) {
      const ofCat = rows.filter((r) => r.category === c);
      expect(ofCat.length).toBeGreaterThanOrEqual(25);
      expect(new Set(ofCat.map((r) => r.lang))).toEqual(new Set(['en', 'zh']));
    }
    expect(new Set(rows.map((r) => r.priority))).toEqual(new Set(['P0', 'P1', 'P2', 'P3']));
  });
});

describe('seed ticket classifier', () => {
  const classifier = loadSeedClassifier();

  it.each([
    ['打印机卡纸了', 'hardware'],
    ['VPN 连不上', 'network'],
    ['我的邮箱收不到邮件', 'email'],
    ['The wifi keeps disconnecting in the meeting room', 'network'],
    ['I need permission to open the legal team folder', 'access'],
    ['The printer on floor 2 is jammed again', 'hardware'],
    ['There is water dripping from the ceiling', 'facilities'],
    ['I clicked a suspicious link in an email', 'security'],
  ])('classifies %s as %s', async (title, category) => {
    const result = await classifier.classify({ title });
    expect(result.category).toBe(category);
    expect(result.source).toBe('offline');
  });

  it('sends nonsense and out-of-domain text to triage instead of guessing', async () => {
    for (const title of ['asdf qwer zxcv', 'banana smoothie recipe', 'who won the football game yesterday']) {
      const result = await classifier.classify({ title });
      expect(result.category).toBe(UNKNOWN_CATEGORY);
      expect(result.reason).toMatch(/triage/);
    }
  });

  it('rates an office-wide outage as P0 or P1 and a how-to question as P3', async () => {
    const outage = await classifier.classify({ title: 'whole office is down, nobody can work' });
    expect(['P0', 'P1']).toContain(outage.priority);
    const outageZh = await classifier.classify({ title: '整个公司都断网了，所有人都没法工作' });
    expect(['P0', 'P1']).toContain(outageZh.priority);
    const question = await classifier.classify({ title: 'How do I set up my email signature?' });
    expect(question.priority).toBe('P3');
  });

  it('explains with words from the ticket, in one plain-text line', async () => {
    const result = await classifier.classify({ title: 'VPN cannot connect', description: 'since this morning, from home' });
    expect(result.reason).toMatch(/^matched .*"vpn".* → network \(0\.\d\d\); priority P[0-3] \(0\.\d\d\)$/);
    expect(result.reason).not.toContain('\n');
  });

  it('never echoes markup from the ticket into the reason, and caps its length', async () => {
    const title = `<script>alert(1)</script> **VPN** [click](http://evil.example) \`rm -rf\` ${'x'.repeat(500)} 无法连接 VPN`;
    const result = await classifier.classify({ title, description: '<b>network down</b>'.repeat(200) });
    expect(result.reason).not.toMatch(/[<>*`[\]]/);
    expect(Array.from(result.reason).length).toBeLessThanOrEqual(200);
    expect(plain('<b>a & b</b>\u0000', 40)).toBe('b a b /b');
  });

  it('rejects invalid tickets with a coded error', async () => {
    await expect(classifier.classify({ title: '   ' })).rejects.toMatchObject({ code: 'chatdesk_classifier_input_invalid' });
    await expect(classifier.classify({ title: 42 as unknown as string })).rejects.toMatchObject({ code: 'chatdesk_classifier_input_invalid' });
  });

  it('validates its models and threshold', () => {
    const { category, priority } = loadSeedModels();
    expect(() => new OfflineTicketClassifier({ categoryModel: category, priorityModel: undefined as unknown as OfflineTextClassifier })).toThrow(
      expect.objectContaining({ code: 'chatdesk_classifier_untrained' }),
    );
    expect(() => new OfflineTicketClassifier({ categoryModel: category, priorityModel: category })).toThrow(/not priorities/);
    expect(() => new OfflineTicketClassifier({ categoryModel: category, priorityModel: priority, abstainBelow: 2 })).toThrow(/abstainBelow/);
  });
});

describe('LearningTicketClassifier', () => {
  it('learns a new category when an agent recategorises tickets', async () => {
    const learner = new LearningTicketClassifier(seedTicketExamples());
    const before = await learner.classify({ title: 'The badge printer for visitor passes needs new ribbons' });
    expect(before.category).not.toBe('visitor-badges');
    const agentLabelled = [
      'Visitor badge printer is out of ribbon',
      'Need visitor passes printed for tomorrow guests',
      'Badge printer for visitors shows ribbon error',
      'Please print guest badges for the workshop',
      'The visitor pass printer at reception is empty',
      '访客胸牌打印机没有色带了',
    ];
    for (const [i, title] of agentLabelled.entries()) learner.learn({ id: `T-${i}`, title, category: 'visitor-badges', priority: 'P3' });
    const after = await learner.classify({ title: 'The badge printer for visitor passes needs new ribbons' });
    expect(after.category).toBe('visitor-badges');
    expect(learner.lastTrainingMs).toBeGreaterThan(0);
  });

  it('lets a later label for the same ticket id replace the earlier one', () => {
    const learner = new LearningTicketClassifier(seedTicketExamples());
    learner.learn({ id: 'T-1', title: 'monitor arm is loose', category: 'hardware' });
    learner.learn({ id: 'T-1', title: 'monitor arm is loose', category: 'facilities' });
    const mine = learner.examples.filter((e) => e.id === 'T-1');
    expect(mine).toEqual([{ id: 'T-1', title: 'monitor arm is loose', category: 'facilities' }]);
    expect(() => learner.learn({ title: 'x', category: UNKNOWN_CATEGORY })).toThrow(/not a category/);
  });
});
