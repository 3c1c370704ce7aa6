import { firstEscalationContact, validateSlaConfig } from '../../../src/domain/sla';
import type { UserRef } from '../../../src/domain/ticket/ticket';

const alice: UserRef = { platform: 'slack', id: 'U_ALICE', name: 'alice' };
const bob: UserRef = { platform: 'slack', id: 'U_BOB', name: 'bob' };
const ticket = (team: string) => ({ team, requester: alice });

const config = validateSlaConfig({
  escalation: [{ after: '0m', notify: 'slack:U_HEAD' }],
  teams: {
    it: {
      escalation: [
        { after: '0m', notify: 'requester_manager' },
        { after: '30m', notify: 'slack:U_LEAD' },
        { after: '1h', notify: 'teams:29:1head' },
      ],
    },
    billing: {
      escalation: [
        { after: '0m', notify: 'slack:U_BOB' },
        { after: '1h', notify: 'feishu:ou_lead' },
      ],
    },
    facilities: {
      escalation: [
        { after: '0m', notify: 'requester_manager' },
        { after: '1h', notify: 'U_NO_PLATFORM' },
      ],
    },
    hr: {},
  },
  directory: {
    managers: { 'slack:U_CAROL': 'slack:U_DAN' },
    knownUsers: ['slack:U_CAROL', 'slack:U_DAN', 'slack:U_HEAD', 'slack:U_LEAD', 'slack:U_BOB', 'teams:29:1head', 'feishu:ou_lead', 'U_NO_PLATFORM'],
  },
});

describe('firstEscalationContact (who the Escalate button DMs)', () => {
  it('skips a requester-manager level with no manager on file and takes the next person', () => {
    expect(firstEscalationContact(ticket('it'), config, bob)).toEqual({ platform: 'slack', id: 'U_LEAD' });
  });

  it('takes the requester’s manager from the directory when there is one', () => {
    expect(firstEscalationContact({ team: 'it', requester: { platform: 'slack', id: 'U_CAROL' } }, config, bob)).toEqual({ platform: 'slack', id: 'U_DAN' });
  });

  it('never DMs the clicker themself: the next level is asked instead', () => {
    expect(firstEscalationContact(ticket('billing'), config, bob)).toEqual({ platform: 'feishu', id: 'ou_lead' });
    expect(firstEscalationContact(ticket('billing'), config, { platform: 'teams', id: 'U_BOB' })).toEqual({ platform: 'slack', id: 'U_BOB' });
  });

  it('falls back to the global chain for a team without its own', () => {
    expect(firstEscalationContact(ticket('hr'), config, bob)).toEqual({ platform: 'slack', id: 'U_HEAD' });
  });

  it('is undefined when no level names someone reachable other than the clicker', () => {
    expect(firstEscalationContact(ticket('facilities'), config, bob)).toBeUndefined();
    expect(firstEscalationContact(ticket('hr'), config, { platform: 'slack', id: 'U_HEAD' })).toBeUndefined();
    expect(firstEscalationContact(ticket('it'), validateSlaConfig({}), bob)).toBeUndefined();
  });
});
