import { agentKey, pickAssignee, type AssignableAgent } from '../../../src/domain/ticket/auto-assign';

const agents: AssignableAgent[] = [
  { platform: 'slack', id: 'U1', name: 'Ana', skills: ['network', 'hardware'] },
  { platform: 'slack', id: 'U2', name: 'Ben', skills: ['Network'] },
  { platform: 'teams', id: 'T3', name: 'Chen', skills: ['network', 'email'] },
  { platform: 'discord', id: 'D4', skills: ['hr'] },
];

describe('pickAssignee', () => {
  it('picks the matching agent with the lightest open load', () => {
    const picked = pickAssignee({ agents, openLoadByAgent: { 'slack:U1': 4, 'slack:U2': 1, 'teams:T3': 2 }, category: 'network' });
    expect(picked).toEqual({ agent: { platform: 'slack', id: 'U2', name: 'Ben' }, index: 1, load: 1 });
  });

  it('round-robins between equally loaded agents, deterministically', () => {
    const picks: string[] = [];
    let last: number | undefined;
    const load = new Map<string, number>();
    for (let i = 0; i < 6; i++) {
      const p = pickAssignee({ agents, openLoadByAgent: load, category: 'network', lastAssignedIndex: last })!;
      picks.push(p.agent.id);
      last = p.index;
    }
    expect(picks).toEqual(['U1', 'U2', 'T3', 'U1', 'U2', 'T3']);
    expect(pickAssignee({ agents, openLoadByAgent: load, category: 'network', lastAssignedIndex: 1 })!.agent.id).toBe('T3');
  });

  it('with load counted in, spreads tickets evenly', () => {
    const load: Record<string, number> = {};
    let last: number | undefined;
    for (let i = 0; i < 9; i++) {
      const p = pickAssignee({ agents, openLoadByAgent: load, category: 'network', lastAssignedIndex: last })!;
      load[agentKey(p.agent)] = (load[agentKey(p.agent)] ?? 0) + 1;
      last = p.index;
    }
    expect(load).toEqual({ 'slack:U1': 3, 'slack:U2': 3, 'teams:T3': 3 });
  });

  it('skips unavailable and full agents, and returns none when nobody fits', () => {
    const away = agents.map((a) => (a.id === 'U2' ? { ...a, available: false } : a));
    expect(pickAssignee({ agents: away, openLoadByAgent: {}, category: 'network', lastAssignedIndex: 0 })!.agent.id).toBe('T3');
    expect(pickAssignee({ agents, openLoadByAgent: { 'slack:U1': 5, 'slack:U2': 5, 'teams:T3': 5 }, category: 'network', maxOpenPerAgent: 5 })).toBeUndefined();
    expect(pickAssignee({ agents, openLoadByAgent: {}, category: 'security' })).toBeUndefined();
    expect(pickAssignee({ agents: [], openLoadByAgent: {}, category: 'network' })).toBeUndefined();
  });

  it('treats * as any category (including triage)', () => {
    const withLead = [...agents, { platform: 'feishu' as const, id: 'F5', skills: ['*'] }];
    expect(pickAssignee({ agents: withLead, openLoadByAgent: {}, category: 'triage' })!.agent.id).toBe('F5');
  });
});
