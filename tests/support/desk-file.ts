import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import { type UserRef, userKey } from '../../src/domain/ticket/ticket';

/** A CHATDESK_CONFIG file: the default desk plus `extra` (e.g. an `sla` section). Returns its path. */
export function deskFile(extra: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'chatdesk-desk-')), 'desk.json');
  writeFileSync(file, JSON.stringify({ ...defaultDeskConfig, ...extra }));
  return file;
}

/** The default desk whose SLA escalation chain starts with `lead` (the person an Escalate click DMs). */
export function deskWithLead(lead: UserRef): string {
  return deskFile({ sla: { escalation: [{ after: '0m', notify: userKey(lead) }] } });
}

/**
 * The desk the contract suite runs on: the default desk whose IT team names
 * `agents` (and, where the platform has groups, a group whose members are its
 * agents too), `lead` as a desk-wide manager and first escalation contact.
 * Anyone else is a requester only.
 */
export function governedDesk(p: { agents: UserRef[]; lead: UserRef; agentGroup?: { platform: 'slack' | 'discord' | 'feishu'; id: string } }): string {
  const [it, ...others] = defaultDeskConfig.teams;
  return deskFile({
    teams: [{ ...it, agents: p.agents.map((a) => ({ platform: a.platform, id: a.id })), agentGroups: p.agentGroup ? [p.agentGroup] : [] }, ...others],
    managers: [userKey(p.lead)],
    sla: { escalation: [{ after: '0m', notify: userKey(p.lead) }] },
  });
}
