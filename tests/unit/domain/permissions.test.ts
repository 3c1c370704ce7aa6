import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import { type DeskConfig, deskConfigSchema } from '../../../src/config/desk-config.schema';
import { decide, PERMISSION_ACTIONS } from '../../../src/domain/access/permissions';
import { rolesOf } from '../../../src/domain/access/roles';
import type { Ticket, UserRef } from '../../../src/domain/ticket/ticket';
import { MATRIX_ACTIONS, type MatrixAction, PERMISSION_RULES, type Role } from '../../support/permission-matrix';

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

const grace = person('U_GRACE'); // IT agent through the S_IT user group
const WHO: Record<Role, { user: UserRef; groups?: string[] }> = {
  requester: { user: alice },
  stranger: { user: stranger },
  agent: { user: bob },
  groupAgent: { user: grace, groups: ['slack:S_IT'] },
  otherTeamAgent: { user: pat },
  teamManager: { user: mia },
  deskManager: { user: max },
  admin: { user: ada },
  escalationContact: { user: lead },
};

/** The person's decision for one row of the table: `assign` picks an IT agent, `assign_outside_team` a People agent. */
function decideRow(role: Role, action: MatrixAction) {
  const { user, groups } = WHO[role];
  const roles = rolesOf(governed, user, groups);
  if (action !== 'assign' && action !== 'assign_outside_team') return decide({ actor: user, roles, action, ticket });
  const to = action === 'assign' ? bob : pat;
  return decide({ actor: user, roles, action: 'assign', ticket, assignee: { user: to, roles: rolesOf(governed, to) } });
}

describe('the permission matrix', () => {
  for (const action of MATRIX_ACTIONS) {
    const rows = PERMISSION_RULES.filter((r) => r.action === action);
    const allowed = rows.filter((r) => r.allowed).map((r) => r.role);
    it(`${action}: allowed to ${allowed.join(', ') || 'no one'}; refused to everyone else, with a reason`, () => {
      for (const { role, allowed: expected } of rows) {
        const decision = decideRow(role, action);
        expect({ role, allowed: decision.allowed }).toEqual({ role, allowed: expected });
        if (!decision.allowed) expect(decision.reason).toMatch(/^not_|assignee_outside_team/);
      }
    });
  }

  it('an agent assigns to anyone of the team, themselves and its managers included; outside it the reason names the assignee', () => {
    const assignTo = (actor: UserRef, to: UserRef) =>
      decide({ actor, roles: rolesOf(governed, actor), action: 'assign', ticket, assignee: { user: to, roles: rolesOf(governed, to) } });
    expect(assignTo(bob, bob)).toMatchObject({ allowed: true });
    expect(assignTo(bob, mia)).toMatchObject({ allowed: true }); // a team manager is an agent of the team too
    expect(assignTo(bob, pat)).toEqual({ allowed: false, reason: 'assignee_outside_team' });
    expect(assignTo(bob, stranger)).toEqual({ allowed: false, reason: 'assignee_outside_team' });
    expect(assignTo(mia, pat)).toMatchObject({ allowed: true, as: 'manager' });
    expect(assignTo(stranger, bob)).toEqual({ allowed: false, reason: 'not_team_agent' });
  });

  it('a group counts only on the platform it is on', () => {
    expect(decide({ actor: grace, roles: rolesOf(governed, grace), action: 'claim', ticket }).allowed).toBe(false);
    expect(decide({ actor: grace, roles: rolesOf(governed, grace, ['discord:S_IT']), action: 'claim', ticket }).allowed).toBe(false);
  });

  it('a person on another messenger with the same id holds none of these roles', () => {
    const teamsBob: UserRef = { platform: 'teams', id: 'U_BOB' };
    expect(decide({ actor: teamsBob, roles: rolesOf(governed, teamsBob), action: 'claim', ticket }).allowed).toBe(false);
  });

  it('a desk that names no agents keeps the old behaviour: anyone acts as agent and manager, except on the tickets they raised', () => {
    const open = deskConfigSchema.parse(defaultDeskConfig);
    // The requester's own say (their replies, answers to offers, the rating) stays theirs on an open desk too.
    for (const action of PERMISSION_ACTIONS.filter((a) => a !== 'requester_reply' && a !== 'answer_offer' && a !== 'rate')) {
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
