import { runAdapterContract } from './adapter-contract';
import { discordDriver } from './drivers/discord.driver';

// Inbound over the Gateway (discord.js Client). The forged-request cases hit the signed
// interactions endpoint, which this mode mounts as well because a public key is configured.
runAdapterContract('Discord (gateway)', () => discordDriver('gateway'));
