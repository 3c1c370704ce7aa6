/** Who an address the identity provider verified signs in as, from the desk file's directory and roles (the real rolesOf). */
import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import { type DeskConfig, deskConfigSchema } from '../../../src/config/desk-config.schema';
import { consolePersonFor, type PersonLookup } from '../../../src/console/oidc-person';
import { rolesOf } from '../../../src/domain/access/roles';
import type { Platform } from '../../../src/domain/ticket/ticket';

const [it0] = defaultDeskConfig.teams;
const desk = (extra: Partial<Record<keyof DeskConfig, unknown>>): DeskConfig => deskConfigSchema.parse({ ...defaultDeskConfig, ...extra });
const governed = desk({
  teams: [{ ...it0, agents: [{ platform: 'teams', id: 'bob-teams' }] }],
  managers: ['slack:U0MIA'],
  people: [
    // Bob raised tickets on Slack, works them on Teams.
    { email: 'bob@example.com', slack: 'U0BOB', teams: 'bob-teams' },
    { email: 'mia@example.com', slack: 'U0MIA', teams: 'mia-teams', playground: 'mia' },
    { email: 'sam@example.com', slack: 'U0SAM', teams: 'sam-teams' },
  ],
});
const lookup = (d: DeskConfig, on: Platform[], unknownPeople: PersonLookup['unknownPeople'] = 'requester'): PersonLookup => ({
  desk: d,
  connected: () => on,
  roles: async (user) => rolesOf(d, user),
  unknownPeople,
});

describe('the console person for a verified address', () => {
  it('is the directory person on the messenger id whose role is strongest', async () => {
    // Agent on Teams beats requester on Slack, though Slack comes first.
    expect(await consolePersonFor('bob@example.com', 'Bob', lookup(governed, ['slack', 'teams']))).toEqual({ platform: 'teams', id: 'bob-teams', name: 'Bob' });
    // The manager is a manager on Slack only.
    expect(await consolePersonFor('mia@example.com', undefined, lookup(governed, ['slack', 'teams', 'playground']))).toEqual({
      platform: 'slack',
      id: 'U0MIA',
    });
  });

  it('breaks a tie by the directory order (slack, teams, discord, feishu, playground)', async () => {
    expect(await consolePersonFor('sam@example.com', 'Sam', lookup(governed, ['teams', 'slack']))).toEqual({ platform: 'slack', id: 'U0SAM', name: 'Sam' });
  });

  it('counts only ids on messengers that are on', async () => {
    expect(await consolePersonFor('bob@example.com', 'Bob', lookup(governed, ['slack']))).toEqual({ platform: 'slack', id: 'U0BOB', name: 'Bob' });
    // A directory person none of whose messengers is on is as unknown as anyone else.
    expect(await consolePersonFor('bob@example.com', 'Bob', lookup(governed, ['discord']))).toEqual({ platform: 'email', id: 'bob@example.com', name: 'Bob' });
  });

  it('makes someone the directory does not know the email requester, or refuses them when told to', async () => {
    expect(await consolePersonFor('carol@example.com', 'Carol', lookup(governed, ['slack']))).toEqual({
      platform: 'email',
      id: 'carol@example.com',
      name: 'Carol',
    });
    expect(await consolePersonFor('carol@example.com', 'Carol', lookup(governed, ['slack'], 'refuse'))).toBeUndefined();
  });

  it('refuses unknown people on a desk that names no agents (where everyone acts as an agent of every team)', async () => {
    const open = desk({ people: [{ email: 'bob@example.com', slack: 'U0BOB' }] });
    expect(rolesOf(open, { platform: 'email', id: 'carol@example.com' }).open).toBe(true);
    expect(await consolePersonFor('carol@example.com', 'Carol', lookup(open, ['slack']))).toBeUndefined();
    expect(await consolePersonFor('bob@example.com', 'Bob', lookup(open, ['slack']))).toEqual({ platform: 'slack', id: 'U0BOB', name: 'Bob' });
  });
});
