/** Compiles the platforms' own published schemas (tests/fixtures/schemas) for the manifest tests. */
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fixturePath } from '../support/fixtures';

const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;

/**
 * Teams app manifest schema for `manifestVersion`. It declares draft-04, which
 * Ajv 8 does not ship; the keywords it uses mean the same in draft-07, and there
 * `const` (the manifestVersion pin) is enforced too.
 */
export function teamsManifestValidator(manifestVersion: string): ValidateFunction {
  const { $schema: _draft04, ...schema } = readJson(fixturePath(`schemas/teams/app-manifest/v${manifestVersion}/MicrosoftTeams.schema.json`));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** A schema from Discord's OpenAPI 3.1 document (JSON Schema 2020-12), by a JSON pointer into it. */
export function discordValidator(pointer: string): ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('snowflake', /^(0|[1-9][0-9]{0,19})$/); // Discord ids: decimal strings of 64-bit integers
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addSchema(readJson(fixturePath('schemas/discord/openapi.json')), 'discord-openapi');
  const validate = ajv.getSchema(`discord-openapi#${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer} in Discord's OpenAPI document`);
  return validate;
}
