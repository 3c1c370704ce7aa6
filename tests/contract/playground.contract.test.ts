/**
 * The local web playground passes the one adapter contract through its HTTP API.
 * The forged-request scenarios are skipped: the playground has no signed inbound
 * by design (it binds to localhost; identities are free-form).
 */
import { runAdapterContract } from './adapter-contract';
import { playgroundDriver } from './drivers/playground.driver';

runAdapterContract('Playground', playgroundDriver);
