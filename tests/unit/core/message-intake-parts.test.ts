/** The small pure parts of message → ticket and the relay: the marker, the draft from a message, the ids carried in forms. */
import { parseModalId, formToModal } from '../../../src/adapters/discord/form-modal';
import { parseMetadata } from '../../../src/adapters/slack/form-modal';
import { isMarkedForRequester } from '../../../src/core/card-thread-replies';
import { ticketForm } from '../../../src/core/forms/ticket-form';
import { draftFromMessage } from '../../../src/core/quick-draft';
import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import { deskConfigSchema } from '../../../src/config/desk-config.schema';

describe('the relay marker', () => {
  it.each([
    ['>> Please restart the VPN client', true],
    ['  >>Please restart', true],
    ['》》 请重启', true],
    ['> quoted text', false],
    ['Please restart >> later', false],
    ['internal: firmware again', false],
  ])('%j marked for the requester: %s', (text, marked) => {
    expect(isMarkedForRequester(text)).toBe(marked);
  });
});

describe('a draft from a message', () => {
  it('takes the title from the text and keeps the whole text and the link line in the description', () => {
    const text = `The projector in room 4 flickers ${'and then goes dark '.repeat(10)}`.trim();
    const d = draftFromMessage(text, 'From a message: https://x.slack.com/archives/C1/p1');
    expect(d.title.length).toBeLessThanOrEqual(150);
    expect(d.title.startsWith('The projector in room 4 flickers')).toBe(true);
    expect(d.description).toBe(`${text}\n\nFrom a message: https://x.slack.com/archives/C1/p1`);
  });
});

describe('the message a form was opened from travels with the form', () => {
  const desk = deskConfigSchema.parse(defaultDeskConfig);

  it('Discord: the modal custom_id carries channel and message, within 100 characters', () => {
    const form = ticketForm(desk, 'en', {});
    const modal = formToModal(form, 'en', 'Incident', { channelId: '1300000000000000002', messageId: '1500000000000000123' });
    expect(modal.custom_id.length).toBeLessThanOrEqual(100);
    expect(parseModalId(modal.custom_id)).toEqual({
      typeId: form.typeId,
      locale: 'en',
      source: { channelId: '1300000000000000002', messageId: '1500000000000000123' },
    });
    expect(parseModalId(formToModal(form, 'zh', 'Incident').custom_id)).toEqual({ typeId: form.typeId, locale: 'zh' });
  });

  it('Slack: private_metadata keeps a well-formed source and drops a malformed one', () => {
    expect(parseMetadata(JSON.stringify({ channelId: 'C1', source: { c: 'C1', m: '1.2', a: 'U1', l: 'https://x' } }))).toEqual({
      channelId: 'C1',
      source: { c: 'C1', m: '1.2', a: 'U1', l: 'https://x' },
    });
    expect(parseMetadata(JSON.stringify({ channelId: 'C1', source: { c: 'C1', m: 3 } }))).toEqual({ channelId: 'C1' });
    expect(parseMetadata('not json')).toEqual({});
  });

  it('the desk file names the ticket emoji per messenger (defaults: ticket, 🎫, OnIt)', () => {
    expect(desk.ticketEmoji).toEqual({ slack: 'ticket', discord: '🎫', feishu: 'OnIt' });
    expect(deskConfigSchema.parse({ ...defaultDeskConfig, ticketEmoji: { slack: 'sos' } }).ticketEmoji.slack).toBe('sos');
  });
});
