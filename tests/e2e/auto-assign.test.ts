/** Auto-assign by skill and open load, configured in the desk file, on the real app and database. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Chatdesk } from '../../src/app';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import { loadConfig } from '../../src/config/load-config';
import type { UserRef } from '../../src/domain/ticket/ticket';
import { startTestApp } from '../support/test-app';
import { testMongoUri } from '../support/test-db';

const alice: UserRef = { platform: 'playground', id: 'alice', name: 'Alice' };

function deskFile(teamPatch: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'chatdesk-assign-')), 'desk.json');
  const [team] = defaultDeskConfig.teams;
  writeFileSync(file, JSON.stringify({ ...defaultDeskConfig, teams: [{ ...team, ...teamPatch }] }));
  return file;
}

describe('auto-assign', () => {
  let app: Chatdesk;
  beforeAll(async () => {
    const agents = [
      { platform: 'playground', id: 'hw1', name: 'Hana', skills: ['hardware'] },
      { platform: 'playground', id: 'hw2', name: 'Hugo', skills: ['hardware'] },
      { platform: 'playground', id: 'any', name: 'Ada', skills: ['*'], available: false },
    ];
    app = await startTestApp({ CHATDESK_CONFIG: deskFile({ autoAssign: true, agents }), CHATDESK_SLA_WORKER: 'false' }, { label: 'assign' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('gives each new ticket to the skilled agent with the lightest load, round robin on ties, never to an away agent', async () => {
    const assignees: string[] = [];
    for (const title of ['Printer jammed on floor 3', 'Laptop screen flickers', 'Keyboard keys stuck', 'Monitor has no signal']) {
      const r = await app.desk.openTicket({ title }, alice);
      if (!r.ok) throw new Error('not opened');
      expect(r.ticket.category).toBe('hardware');
      assignees.push(r.ticket.assignee?.id ?? 'none');
      expect(r.ticket.status).toBe('new'); // routed, not yet answered: the first-response clock keeps running
      expect(r.ticket.firstResponseAt).toBeUndefined();
    }
    expect(assignees).toEqual(['hw1', 'hw2', 'hw1', 'hw2']);
    // Hana resolves one: she now has the lighter load and gets the next.
    const open = await app.store.tickets.list({ status: ['new'] });
    const hanas = open.find((t) => t.assignee?.id === 'hw1')!;
    await app.desk.act(hanas.id, { kind: 'resolve' }, { platform: 'playground', id: 'hw1' });
    const next = await app.desk.openTicket({ title: 'Printer jammed again on floor 2' }, alice);
    expect(next.ok && next.ticket.assignee?.id).toBe('hw1');
  });

  it('a category nobody has as a skill stays unassigned', async () => {
    const r = await app.desk.openTicket({ title: 'Password reset for my email account' }, alice);
    expect(r.ok && r.ticket.assignee).toBeUndefined();
  });

  it('refuses auto-assign without agents, naming the setting', () => {
    expect(() => loadConfig({ CHATDESK_CONFIG: deskFile({ autoAssign: true }) })).toThrow(/teams\.0\.autoAssign: auto-assign needs teams\[\]\.agents/);
  });
});

describe('auto-assign across two replicas on one database', () => {
  let a: Chatdesk;
  let b: Chatdesk;
  beforeAll(async () => {
    const agents = [
      { platform: 'playground', id: 'hw1', name: 'Hana', skills: ['hardware'] },
      { platform: 'playground', id: 'hw2', name: 'Hugo', skills: ['hardware'] },
    ];
    const env = { CHATDESK_CONFIG: deskFile({ autoAssign: true, agents }), CHATDESK_SLA_WORKER: 'false', MONGODB_URI: testMongoUri('assign_replicas') };
    a = await startTestApp(env, { label: 'assign-a' });
    b = await startTestApp(env, { label: 'assign-b' });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('shares the work fairly when both replicas open tickets at the same moment', async () => {
    const titles = ['Printer jammed', 'Laptop screen flickers', 'Keyboard keys stuck', 'Monitor has no signal', 'Mouse is dead'];
    const opened = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        [a, b].map((app, j) => app.desk.openTicket({ title: `${titles[i % titles.length]} (desk ${i}${j})` }, alice)),
      ).flat(),
    );
    const counts = new Map<string, number>();
    for (const r of opened) {
      if (!r.ok) throw new Error('not opened');
      counts.set(r.ticket.assignee?.id ?? 'none', (counts.get(r.ticket.assignee?.id ?? 'none') ?? 0) + 1);
    }
    // Each pick sees the others' (load and round-robin position are decided in the database, one pick at a time).
    expect(Object.fromEntries(counts)).toEqual({ hw1: 20, hw2: 20 });
  });
});
