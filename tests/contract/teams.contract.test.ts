import { runAdapterContract } from './adapter-contract';
import { TeamsDriver } from './drivers/teams.driver';

runAdapterContract('Teams', () => new TeamsDriver());
