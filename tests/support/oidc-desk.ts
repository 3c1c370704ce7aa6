/**
 * The desk the console's OIDC sign-in tests run on: a real identity provider
 * (tests/support/oidc-idp.ts) and the real app with its own database, the
 * console's redirect URI registered with the provider, and three tickets:
 * two from alice on the playground (an IT printer, a People payslip) and one
 * from carol by email (an IT VPN), so each person's queue says who they are.
 */
import type { Chatdesk } from '../../src/app';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import { createLogger } from '../../src/logger';
import { freePort } from './app-process';
import { deskFile } from './desk-file';
import { type IdpAccount, startTestIdp, type TestIdp } from './oidc-idp';
import { startTestApp } from './test-app';
import { payslipToHrClassifier } from './title-classifier';

export const PASSWORD = 'correct horse battery staple';
/** bob: IT agent, pia: People agent, ada: admin (all in the directory); carol: not in it; eve: unverified address; omar: no email_verified at all. */
export const ACCOUNTS: Record<string, IdpAccount> = {
  bob: { password: PASSWORD, email: 'Bob@Example.com', name: 'Bob Builder' },
  pia: { password: PASSWORD, email: 'pia@example.com', name: 'Pia People' },
  ada: { password: PASSWORD, email: 'ada@example.com', name: 'Ada Admin' },
  carol: { password: PASSWORD, email: 'carol@example.com', name: 'Carol Customer' },
  eve: { password: PASSWORD, email: 'ada@example.com', name: 'Eve', emailVerified: false },
  omar: { password: PASSWORD, email: 'bob@example.com', name: 'Omar', emailVerified: 'omit' },
};

export interface OidcDesk {
  app: Chatdesk;
  idp: TestIdp;
  /** Every line the app logged. */
  logs: string[];
  /** Ticket keys: the IT printer (alice), the People payslip (alice), the IT VPN (carol by email). */
  keys: { printer: string; payslip: string; vpn: string };
  stop(): Promise<void>;
}

export async function startOidcDesk(label: string, opts: { env?: Record<string, string>; claimsInIdToken?: boolean } = {}): Promise<OidcDesk> {
  const [appPort, idpPort] = [await freePort(), await freePort()];
  const publicUrl = `http://127.0.0.1:${appPort}`;
  const idp = await startTestIdp({
    port: idpPort,
    redirectUri: `${publicUrl}/console/oidc/callback`,
    accounts: ACCOUNTS,
    ...(opts.claimsInIdToken === undefined ? {} : { claimsInIdToken: opts.claimsInIdToken }),
  });
  const [it] = defaultDeskConfig.teams;
  const desk = deskFile({
    teams: [
      { ...it, categories: ['hardware', 'software', 'network'], agents: [{ platform: 'playground', id: 'bob' }] },
      { id: 'people', name: 'People', categories: ['hr'], agentChannels: { playground: 'people' }, agents: [{ platform: 'playground', id: 'pia' }] },
    ],
    admins: ['playground:ada'],
    people: [
      { email: 'bob@example.com', playground: 'bob', slack: 'U0BOB' },
      { email: 'pia@example.com', playground: 'pia' },
      { email: 'ada@example.com', playground: 'ada' },
    ],
  });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(line) } });
  const app = await startTestApp(
    {
      PORT: String(appPort),
      PUBLIC_URL: publicUrl,
      CHATDESK_CONFIG: desk,
      CHATDESK_SLA_WORKER: 'false',
      CHATDESK_OIDC_ISSUER: idp.issuer,
      CHATDESK_OIDC_CLIENT_ID: idp.clientId,
      CHATDESK_OIDC_CLIENT_SECRET: idp.clientSecret,
      CHATDESK_OIDC_NAME: 'Test IdP',
      ...opts.env,
    },
    { label, classifier: payslipToHrClassifier, logger },
  );
  const alice = { platform: 'playground', id: 'alice', name: 'Alice' } as const;
  const open = async (title: string, requester: Parameters<Chatdesk['desk']['openTicket']>[1]) => {
    const r = await app.desk.openTicket({ title, description: title }, requester);
    if (!r.ok) throw new Error(`${title}: not opened`);
    return r.ticket.key;
  };
  const keys = {
    printer: await open('Printer jams on floor 3', alice),
    payslip: await open('Payslip for October is missing', alice),
    vpn: await open('VPN drops every ten minutes', { platform: 'email', id: 'carol@example.com', name: 'Carol' }),
  };
  return {
    app,
    idp,
    logs,
    keys,
    stop: async () => {
      await app.stop();
      await idp.close();
    },
  };
}
