import { cardToLark } from '../../../src/adapters/feishu/card-json';
import { formToCard } from '../../../src/adapters/feishu/form-card';
import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import type { DeskConfig } from '../../../src/config/desk-config.schema';
import { ticketForm } from '../../../src/core/forms/ticket-form';
import { checkCard, checkText } from './card-rules';

const button = (extra: Record<string, unknown> = {}) => ({
  tag: 'button',
  text: { tag: 'plain_text', content: 'Go' },
  behaviors: [{ type: 'callback', value: { action: 'go' } }],
  ...extra,
});
const card = (elements: unknown[], config: Record<string, unknown> = { update_multi: true }) => ({ schema: '2.0', config, body: { elements } });

describe('Feishu card rules (what the emulator refuses)', () => {
  it('accepts the cards chatdesk renders', () => {
    const ticket = cardToLark(
      {
        title: 'T-1 · x',
        status: { label: 'P2 · New', tone: 'info' },
        fields: [{ label: 'A', value: 'b' }],
        actions: [{ id: 'claim', label: 'Claim', value: 't1' }],
        userPicker: { actionId: 'assign', placeholder: 'Assign', value: 't1' },
        footer: 'f',
      },
      'T-1',
    );
    expect(checkCard(ticket, 'ticket')).toEqual([]);
    const withLink = cardToLark(
      {
        title: 'T-1 · x',
        fields: [],
        actions: [
          { id: 'acknowledge', label: 'Acknowledge', value: 't1' },
          { id: 'open_ticket', label: 'Open ticket', url: 'https://applink.feishu.cn/client/chat/open?openChatId=oc_1' },
        ],
      },
      'T-1',
    );
    expect(checkCard(withLink, 'escalation')).toEqual([]);
    for (const type of defaultDeskConfig.ticketTypes) {
      const form = ticketForm(defaultDeskConfig as unknown as DeskConfig, 'zh', { typeId: type.id });
      expect(checkCard(formToCard(form, { locale: 'zh', errors: { title: 'required' } }), type.id)).toEqual([]);
    }
  });

  it('names each broken rule', () => {
    expect(checkCard({ ...card([]), schema: '1.0' }, 'c')).toEqual([expect.stringMatching(/schema must be '2.0'/)]);
    expect(checkCard(card([], {}), 'c')).toEqual([expect.stringMatching(/update_multi/)]);
    expect(checkCard(card([{ tag: 'blink' }]), 'c')).toEqual([expect.stringMatching(/unknown tag 'blink'/)]);
    expect(checkCard(card([button({ element_id: '1bad' })]), 'c')).toEqual([expect.stringMatching(/element_id '1bad'/)]);
    expect(checkCard(card([button({ element_id: 'a' }), button({ element_id: 'a' })]), 'c')).toEqual([expect.stringMatching(/not unique/)]);
    expect(checkCard(card([{ tag: 'button', text: { tag: 'plain_text', content: 'x' } }]), 'c')).toEqual([expect.stringMatching(/needs behaviors/)]);
    expect(checkCard(card([button({ value: { a: 1 } })]), 'c')).toEqual([expect.stringMatching(/1.0 way/)]);
    expect(checkCard(card([button({ behaviors: [{ type: 'open_url', url: 'https://x.example' }] })]), 'c')).toEqual([
      expect.stringMatching(/open_url needs a default_url/),
    ]);
    expect(checkCard(card([{ tag: 'form', name: 'f', elements: [{ tag: 'input' }] }]), 'c')).toEqual([
      expect.stringMatching(/needs a name/),
      expect.stringMatching(/submit/),
    ]);
    expect(
      checkCard(
        card([
          {
            tag: 'select_static',
            options: [{ text: { tag: 'plain_text', content: 'a' }, value: 'a' }],
            initial_option: 'b',
            behaviors: [{ type: 'callback', value: {} }],
          },
        ]),
        'c',
      ),
    ).toEqual([expect.stringMatching(/initial_option/)]);
    expect(checkCard(card([{ tag: 'markdown', content: 'hi <at id=all></at>' }]), 'c')).toEqual([expect.stringMatching(/mentions everyone/)]);
    expect(checkText({ text: '<at user_id="all">all</at>' }, 't')).toEqual([expect.stringMatching(/mentions everyone/)]);
  });
});
