import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import { type DeskConfig, deskConfigSchema } from '../../../src/config/desk-config.schema';
import { decide, PERMISSION_ACTIONS, type PermissionAction } from '../../../src/domain/access/permissions';
import { rolesOf } from '../../../src/domain/access/roles';
import type { Ticket, UserRef } from '../../../src/domain/ticket/ticket';

const person = (id: string): UserRef => ({ platform: 'slack', id });
const alice = person('U_ALICE'); // the requester
const stranger = person('U_EVE');
const bob = person('U_BOB'); // IT agent
const pat = person('U_PAT'); // People agent
const mia = person('U_MIA'); // IT manager
const max = person('U_MAX'); // desk-wide manager
const ada = person('U_ADA'); // admin
const lead = person('U_LEAD'); // asked to step in by an escalation

const governed: DeskConfig = deskConfigSchema.parse({
  ...defaultDeskConfig,
  teams: [
    {
      id: 'it',
      name: 'IT',
      categories: ['hardware'],
      agents: [{ platform: 'slack', id: 'U_BOB' }],
      managers: ['slack:U_MIA'],
      agentGroups: [{ platform: 'slack', id: 'S_IT' }],
    },
    { id: 'people', name: 'People', categories: ['hr'], agents: [{ platform: 'slack', id: 'U_PAT' }] },
  ],
  managers: ['slack:U_MAX'],
  admins: ['slack:U_ADA'],
});

const ticket: Pick<Ticket, 'team' | 'requester' | 'activity'> = {
  team: 'it',
  requester: alice,
  activity: [{ at: new Date(0), action: 'escalation_notified', actor: bob, to: 'slack:U_LEAD' }],
};

type Who = 'requester' | 'stranger' | 'agent' | 'otherTeamAgent' | 'teamManager' | 'deskManager' | 'admin' | 'escalationContact';
const WHO: Record<Who, UserRef> = {
  requester: alice,
  stranger,
  agent: bob,
  otherTeamAgent: pat,
  teamManager: mia,
  deskManager: max,
  admin: ada,
  escalationContact: lead,
};

/** The README's matrix: who may do each action on an IT ticket raised by alice. */
const MATRIX: Record<PermissionAction, Who[]> = {
  view: ['requester', 'agent', 'teamManager', 'deskManager', 'admin'],
  requester_reply: ['requester', 'admin'],
  answer_offer: ['requester', 'admin'],
  resolve: ['requester', 'agent', 'teamManager', 'deskManager', 'admin'],
  reopen: ['requester', 'agent', 'teamManager', 'deskManager', 'admin'],
  claim: ['agent', 'teamManager', 'deskManager', 'admin'],
  assign: ['agent', 'teamManager', 'deskManager', 'admin'],
  wait: ['agent', 'teamManager', 'deskManager', 'admin'],
  reply: ['agent', 'teamManager', 'deskManager', 'admin'],
  recategorize: ['agent', 'teamManager', 'deskManager', 'admin'],
  tag: ['agent', 'teamManager', 'deskManager', 'admin'],
  note: ['agent', 'teamManager', 'deskManager', 'admin'],
  close: ['agent', 'teamManager', 'deskManager', 'admin'],
  escalate: ['agent', 'teamManager', 'deskManager', 'admin'],
  draft: ['agent', 'teamManager', 'deskManager', 'admin'],
  knowledge: ['agent', 'teamManager', 'deskManager', 'admin'],
  take_over: ['teamManager', 'deskManager', 'admin', 'escalationContact'],
  acknowledge: ['teamManager', 'deskManager', 'admin', 'escalationContact'],
};

describe('the permission matrix', () => {
  for (const action of PERMISSION_ACTIONS) {
    it(`${action}: allowed to ${MATRIX[action].join(', ')}; refused to everyone else, with a reason`, () => {
      for (const [who, user] of Object.entries(WHO) as Array<[Who, UserRef]>) {
        const decision = decide({ actor: user, roles: rolesOf(governed, user), action, ticket });
        expect({ who, allowed: decision.allowed }).toEqual({ who, allowed: MATRIX[action].includes(who) });
        if (!decision.allowed) expect(decision.reason).toMatch(/^not_|assignee_outside_team/);
      }
    });
  }

  it('an agent assigns within the team only; a manager assigns to anyone', () => {
    const assignTo = (actor: UserRef, to: UserRef) =>
      decide({ actor, roles: rolesOf(governed, actor), action: 'assign', ticket, assignee: { user: to, roles: rolesOf(governed, to) } });
    expect(assignTo(bob, bob)).toMatchObject({ allowed: true });
    expect(assignTo(bob, mia)).toMatchObject({ allowed: true }); // a team manager is an agent of the team too
    expect(assignTo(bob, pat)).toEqual({ allowed: false, reason: 'assignee_outside_team' });
    expect(assignTo(bob, stranger)).toEqual({ allowed: false, reason: 'assignee_outside_team' });
    expect(assignTo(mia, pat)).toMatchObject({ allowed: true, as: 'manager' });
    expect(assignTo(stranger, bob)).toEqual({ allowed: false, reason: 'not_team_agent' });
  });

  it('members of a group the team names are its agents', () => {
    const grouped = person('U_GRACE');
    expect(decide({ actor: grouped, roles: rolesOf(governed, grouped), action: 'claim', ticket }).allowed).toBe(false);
    expect(decide({ actor: grouped, roles: rolesOf(governed, grouped, ['slack:S_IT']), action: 'claim', ticket })).toMatchObject({
      allowed: true,
      as: 'agent',
    });
    expect(decide({ actor: grouped, roles: rolesOf(governed, grouped, ['discord:S_IT']), action: 'claim', ticket }).allowed).toBe(false);
  });

  it('a person on another messenger with the same id holds none of these roles', () => {
    const teamsBob: UserRef = { platform: 'teams', id: 'U_BOB' };
    expect(decide({ actor: teamsBob, roles: rolesOf(governed, teamsBob), action: 'claim', ticket }).allowed).toBe(false);
  });

  it('a desk that names no agents keeps the old behaviour: anyone acts as agent and manager, except on the tickets they raised', () => {
    const open = deskConfigSchema.parse(defaultDeskConfig);
    for (const action of PERMISSION_ACTIONS.filter((a) => a !== 'requester_reply' && a !== 'answer_offer')) {
      expect(decide({ actor: stranger, roles: rolesOf(open, stranger), action, ticket }).allowed).toBe(true);
    }
    expect(decide({ actor: alice, roles: rolesOf(open, alice), action: 'reply', ticket })).toEqual({ allowed: false, reason: 'not_team_agent' });
    expect(decide({ actor: alice, roles: rolesOf(open, alice), action: 'resolve', ticket })).toMatchObject({ allowed: true, as: 'requester' });
    expect(decide({ actor: stranger, roles: rolesOf(open, stranger), action: 'answer_offer', ticket })).toEqual({ allowed: false, reason: 'not_requester' });
  });

  it('the desk file refuses a person that is not platform:id and a group on a platform without lookups', () => {
    const bad = deskConfigSchema.safeParse({
      ...defaultDeskConfig,
      admins: ['U_ADA'],
      teams: [{ id: 'it', name: 'IT', agentGroups: [{ platform: 'teams', id: 'g' }] }],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['admins.0', 'teams.0.agentGroups.0.platform']));
  });
});
