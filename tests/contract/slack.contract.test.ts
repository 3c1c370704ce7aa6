/** Slack passes the one adapter contract: real Bolt app, Slack emulator, embedded database. */
import { runAdapterContract } from './adapter-contract';
import { slackDriver } from './drivers/slack.driver';

runAdapterContract('Slack', slackDriver);
