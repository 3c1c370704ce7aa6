/** Seed taxonomy vs the team's: what the live model trains on. */
import { buildTrainingSet, checkExample } from '../../../../src/ai/learning/training-set';
import type { TeamExample } from '../../../../src/ai/learning/training-set';
import { seedTicketExamples, SEED_CATEGORIES } from '../../../../src/ai/seed';

const seed = seedTicketExamples();
const imported = (title: string, category: string, priority?: 'P0' | 'P1' | 'P2' | 'P3', id?: string): TeamExample => ({
  title,
  category,
  ...(priority ? { priority } : {}),
  ...(id ? { id } : {}),
  source: 'imported',
});

describe('training set', () => {
  it('is the seed taxonomy before anything is learned', () => {
    const set = buildTrainingSet(seed, []);
    expect(set.taxonomy).toBe('seed');
    expect(set.categories).toEqual([...SEED_CATEGORIES].sort());
    expect(set.priorities).toBe('seed');
  });

  it('adds recategorisations to the seed while the team has imported nothing', () => {
    const set = buildTrainingSet(seed, [
      { id: 'T1', title: 'printer on floor 3', category: 'hardware', source: 'recategorized' },
      { id: 'T2', title: 'parking permit', category: 'facilities', source: 'recategorized' },
    ]);
    expect(set.taxonomy).toBe('seed');
    expect(set.categories).toEqual([...SEED_CATEGORIES].sort());
    expect(set.category.length).toBe(seed.filter((e) => e.category).length + 2);
  });

  it("uses only the team's categories once it imported a history of 2+ categories, keeping seed priorities when it has none", () => {
    const set = buildTrainingSet(seed, [imported('payslip wrong', 'payroll'), imported('vpn drops', 'vpn'), imported('badge lost', 'badge')]);
    expect(set.taxonomy).toBe('team');
    expect(set.categories).toEqual(['badge', 'payroll', 'vpn']);
    expect(set.priorities).toBe('seed');
    expect(set.priority.length).toBe(seed.length);
  });

  it("uses the team's priorities too when they cover 2+ priorities", () => {
    const set = buildTrainingSet(seed, [imported('payslip wrong', 'payroll', 'P2'), imported('vpn down for all', 'vpn', 'P0')]);
    expect(set.priorities).toBe('team');
    expect(set.priority.map((e) => e.label)).toEqual(['P2', 'P0']);
  });

  it('keeps the seed taxonomy when the import names a single category', () => {
    const set = buildTrainingSet(seed, [imported('payslip wrong', 'payroll'), imported('bonus missing', 'payroll')]);
    expect(set.taxonomy).toBe('seed');
    expect(set.categories).toContain('payroll');
  });

  it('lets a later example with the same id replace the earlier one (a ticket recategorised twice)', () => {
    const set = buildTrainingSet(seed, [
      imported('payslip wrong', 'payroll'),
      imported('vpn drops', 'vpn'),
      { id: 'T-7', title: 'door does not open', category: 'vpn', source: 'recategorized' },
      { id: 'T-7', title: 'door does not open', category: 'badge', source: 'recategorized' },
    ]);
    expect(set.category.filter((e) => e.text === 'door does not open').map((e) => e.label)).toEqual(['badge']);
    expect(set.team).toEqual({ imported: 2, recategorized: 1 });
  });

  it('refuses examples that cannot be learned', () => {
    expect(() => checkExample({ title: '', category: 'x' })).toThrow(/neither title nor description/);
    expect(() => checkExample({ title: 'x', category: 'triage' })).toThrow(/not a category to learn/);
    expect(() => checkExample({ title: 'x', priority: 'P9' as never })).toThrow(/unknown priority/);
    expect(() => checkExample({ title: 'x' })).toThrow(/category or a priority/);
    expect(() => checkExample({ title: 'x', category: 'a\u0000b' })).toThrow(/control characters/);
  });
});
