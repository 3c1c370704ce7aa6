import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultDeskConfig } from '../config/default-desk-config';
import { type DeskConfig, deskConfigSchema } from '../config/desk-config.schema';
import { EXAMPLE_PUBLIC_URL, endpoint, ROUTES } from './endpoints';
import { type ManifestOptions, manifestFiles, manifestJson, type ManifestPlatform, PLATFORMS, teamsAppPackage } from './generate';
import { registerDiscordCommands } from './register-discord';
import { PLACEHOLDER_APP_ID } from './teams-manifest';

export interface CliIo {
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
  /** Repository root (where manifests/ and package.json are). */
  root: string;
}

/** Where `zip teams` writes the package when no --out is given (relative to the current directory). */
export const TEAMS_PACKAGE = 'chatdesk-teams-app.zip';

export const USAGE = `usage:
  node dist/src/manifests/cli.js print <${PLATFORMS.join('|')}> [--public-url URL] [--app-id GUID]
  node dist/src/manifests/cli.js write [${PLATFORMS.join('|')} ...] [--public-url URL] [--app-id GUID]
  node dist/src/manifests/cli.js zip teams [--out FILE] [--public-url URL] [--app-id GUID]
  node dist/src/manifests/cli.js register discord
zip writes the Teams app package (manifest.json and its two icons) to FILE, by default ${TEAMS_PACKAGE}.
The public URL defaults to PUBLIC_URL, then ${EXAMPLE_PUBLIC_URL}; the Teams app id to TEAMS_APP_ID, then a placeholder.
register needs DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN (DISCORD_GUILD_ID: one server; DISCORD_API_URL: another API base).
`;

/** The repository root, found upward from this file (works from src/ and dist/src/). */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** The defaults the committed manifests are generated with. */
export function committedOptions(root: string): ManifestOptions {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return { publicUrl: EXAMPLE_PUBLIC_URL, desk: deskConfigSchema.parse(defaultDeskConfig), teamsAppId: PLACEHOLDER_APP_ID, version: pkg.version };
}

function loadDesk(env: CliIo['env']): DeskConfig {
  return deskConfigSchema.parse(env.CHATDESK_CONFIG ? JSON.parse(readFileSync(env.CHATDESK_CONFIG, 'utf8')) : defaultDeskConfig);
}

function parseArgs(argv: string[]): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) positional.push(a);
    else if (a.includes('=')) flags[a.slice(2, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    else flags[a.slice(2)] = argv[++i] ?? '';
  }
  return { positional, flags };
}

const isPlatform = (p: string | undefined): p is ManifestPlatform => (PLATFORMS as readonly string[]).includes(p ?? '');

/** Runs one CLI command; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const [command, ...targets] = positional;
  const base = committedOptions(io.root);
  const opts: ManifestOptions = {
    ...base,
    publicUrl: flags['public-url'] || io.env.PUBLIC_URL || base.publicUrl,
    teamsAppId: flags['app-id'] || io.env.TEAMS_APP_ID || base.teamsAppId,
    desk: loadDesk(io.env),
  };
  try {
    new URL(opts.publicUrl);
  } catch {
    io.err(`not a URL: ${opts.publicUrl}\n`);
    return 2;
  }

  if (command === 'print' && targets.length === 1 && isPlatform(targets[0])) {
    io.out(`${JSON.stringify(manifestJson(targets[0], opts), null, 2)}\n`);
    if (targets[0] === 'teams') io.err(`Azure Bot messaging endpoint: ${endpoint(opts.publicUrl, ROUTES.teams)}\n`);
    return 0;
  }
  if (command === 'write' && targets.every(isPlatform)) {
    for (const platform of targets.length ? (targets as ManifestPlatform[]) : PLATFORMS) {
      for (const file of manifestFiles(platform, opts)) {
        const target = path.join(io.root, file.path);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, file.data);
        io.out(`wrote ${file.path}\n`);
      }
    }
    return 0;
  }
  if (command === 'zip' && targets.length === 1 && targets[0] === 'teams') {
    const out = path.resolve(flags.out || TEAMS_PACKAGE);
    writeFileSync(out, teamsAppPackage(opts));
    io.out(`wrote ${out} (Teams app package for ${opts.publicUrl}, bot ${opts.teamsAppId})\n`);
    if (opts.teamsAppId === PLACEHOLDER_APP_ID) io.err('the bot id is a placeholder: pass --app-id or set TEAMS_APP_ID before uploading it to Teams\n');
    return 0;
  }
  if (command === 'register' && targets.length === 1 && targets[0] === 'discord') {
    const { DISCORD_APPLICATION_ID: applicationId, DISCORD_BOT_TOKEN: botToken } = io.env;
    if (!applicationId || !botToken) {
      io.err('register discord needs DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN\n');
      return 2;
    }
    const apiUrl = io.env.DISCORD_API_URL || 'https://discord.com/api';
    const res = await registerDiscordCommands({ apiUrl, applicationId, botToken, guildId: io.env.DISCORD_GUILD_ID || undefined }, opts.desk);
    if (res.status >= 200 && res.status < 300) {
      io.out(`registered the commands: PUT ${res.url} -> ${res.status}\n`);
      return 0;
    }
    io.err(`Discord refused the commands: PUT ${res.url} -> ${res.status} ${res.body.slice(0, 2000)}\n`);
    return 1;
  }
  io.err(USAGE);
  return 2;
}
