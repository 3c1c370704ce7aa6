import type { UserRef } from '../../../src/domain/ticket/ticket';
import { applyAction, CSAT_COMMENT_MAX, csatCommentOf } from '../../../src/domain/ticket/transitions';
import { aTicket, TICKET_T0 } from '../../support/ticket-factory';

const alice: UserRef = { platform: 'slack', id: 'U_ALICE', name: 'alice' };
const bob: UserRef = { platform: 'slack', id: 'U_BOB', name: 'bob' };
const later = (min: number) => new Date(TICKET_T0.getTime() + min * 60_000);

/** T-1001 resolved by Bob, then rated 4 by its requester Alice. */
const rated = () => {
  const resolved = applyAction(aTicket(), { kind: 'resolve' }, bob, later(10));
  return applyAction(resolved, { kind: 'rate', score: 4 }, alice, later(20));
};

describe('the comment on a CSAT rating', () => {
  it('is recorded once, after the rating, as its own history entry with the score it goes with; the status stays', () => {
    const before = rated();
    const commented = applyAction(before, { kind: 'csat_comment', text: '  Quick and friendly, thanks!  ' }, alice, later(25));
    expect(commented.activity.at(-1)).toEqual({ at: later(25), action: 'csat_commented', actor: alice, to: '4', note: 'Quick and friendly, thanks!' });
    expect(csatCommentOf(commented)).toBe('Quick and friendly, thanks!');
    expect(commented).toMatchObject({ status: 'resolved', version: before.version + 1, updatedAt: later(25) });
    expect(csatCommentOf(before)).toBeUndefined();
  });

  it('a second comment is refused, and the first one stays', () => {
    const commented = applyAction(rated(), { kind: 'csat_comment', text: 'Great' }, alice, later(25));
    expect(() => applyAction(commented, { kind: 'csat_comment', text: 'Actually, not so great' }, alice, later(30))).toThrow(
      expect.objectContaining({ code: 'chatdesk_transition_illegal', message: 'T-1001 already has a comment on its rating' }),
    );
    expect(csatCommentOf(commented)).toBe('Great');
  });

  it('needs a rating first', () => {
    const resolved = applyAction(aTicket(), { kind: 'resolve' }, bob, later(10));
    expect(() => applyAction(resolved, { kind: 'csat_comment', text: 'Nice' }, alice, later(15))).toThrow(
      expect.objectContaining({ code: 'chatdesk_transition_illegal', message: 'T-1001 is not rated yet: a comment goes with a rating' }),
    );
  });

  it("is the rater's alone: anyone else (the agent who resolved it too) is refused as not the requester", () => {
    expect(() => applyAction(rated(), { kind: 'csat_comment', text: 'She was happy' }, bob, later(25))).toThrow(
      expect.objectContaining({ code: 'chatdesk_forbidden', details: expect.objectContaining({ reason: 'not_requester', action: 'rate', ticket: 'T-1001' }) }),
    );
  });

  it(`has 1 to ${CSAT_COMMENT_MAX} characters (counted as characters, not UTF-16 units)`, () => {
    const invalid = expect.objectContaining({ code: 'chatdesk_ticket_invalid' });
    expect(() => applyAction(rated(), { kind: 'csat_comment', text: '   ' }, alice, later(25))).toThrow(invalid);
    expect(() => applyAction(rated(), { kind: 'csat_comment', text: 'x'.repeat(CSAT_COMMENT_MAX + 1) }, alice, later(25))).toThrow(invalid);
    const longest = `${'好'.repeat(CSAT_COMMENT_MAX - 1)}😀`; // the emoji is two UTF-16 units, one character
    expect(csatCommentOf(applyAction(rated(), { kind: 'csat_comment', text: longest }, alice, later(25)))).toBe(longest);
  });

  it('is taken on a resolved or closed ticket only (a reopened one is being worked on again)', () => {
    const closed = applyAction(rated(), { kind: 'close' }, bob, later(22));
    expect(csatCommentOf(applyAction(closed, { kind: 'csat_comment', text: 'Fine' }, alice, later(25)))).toBe('Fine');
    const reopened = applyAction(rated(), { kind: 'reopen' }, alice, later(22));
    expect(() => applyAction(reopened, { kind: 'csat_comment', text: 'Fine' }, alice, later(25))).toThrow(
      expect.objectContaining({ code: 'chatdesk_transition_illegal' }),
    );
  });
});
