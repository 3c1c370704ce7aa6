import type { DeskConfig } from '../config/desk-config.schema';
import { discordSettings } from './discord-commands';
import { feishuSettings } from './feishu-settings';
import { encodePng } from './png';
import { slackManifest } from './slack-manifest';
import { colorIcon, outlineIcon } from './teams-icons';
import { TEAMS_ICONS, teamsManifest } from './teams-manifest';
import { storedZip } from './zip';

export const PLATFORMS = ['slack', 'teams', 'discord', 'feishu'] as const;
export type ManifestPlatform = (typeof PLATFORMS)[number];

export interface ManifestOptions {
  publicUrl: string;
  desk: DeskConfig;
  /** The Teams bot's Microsoft App ID (a GUID). */
  teamsAppId: string;
  /** The app version Teams shows (package.json's). */
  version: string;
}

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  data: Buffer;
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

/** What `print` shows for a platform. Pure: the same options give the same JSON. */
export function manifestJson(platform: ManifestPlatform, opts: ManifestOptions): Record<string, unknown> {
  switch (platform) {
    case 'slack':
      return slackManifest(opts.publicUrl);
    case 'teams':
      return teamsManifest({ publicUrl: opts.publicUrl, appId: opts.teamsAppId, version: opts.version });
    case 'discord':
      return discordSettings({ publicUrl: opts.publicUrl, desk: opts.desk });
    case 'feishu':
      return feishuSettings(opts.publicUrl);
  }
}

/** The files `write` puts under manifests/ (Teams: the app package's manifest and its two icons). */
export function manifestFiles(platform: ManifestPlatform, opts: ManifestOptions): GeneratedFile[] {
  const body = json(manifestJson(platform, opts));
  if (platform !== 'teams') return [{ path: `manifests/${platform}.json`, data: body }];
  return [
    { path: 'manifests/teams/manifest.json', data: body },
    { path: `manifests/teams/${TEAMS_ICONS.color}`, data: encodePng(colorIcon()) },
    { path: `manifests/teams/${TEAMS_ICONS.outline}`, data: encodePng(outlineIcon()) },
  ];
}

/**
 * The Teams app package to upload (Teams admin center, or "Upload a custom
 * app"): a zip with manifest.json and the two icons it names at its root.
 */
export function teamsAppPackage(opts: ManifestOptions): Buffer {
  return storedZip(manifestFiles('teams', opts).map((f) => ({ name: f.path.slice('manifests/teams/'.length), data: f.data })));
}
