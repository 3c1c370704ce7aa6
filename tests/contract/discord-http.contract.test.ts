import { runAdapterContract } from './adapter-contract';
import { discordDriver } from './drivers/discord.driver';

// Inbound through the signed interactions endpoint (POST /discord/interactions).
runAdapterContract('Discord (http)', () => discordDriver('http'));
