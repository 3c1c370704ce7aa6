import type { Connection } from 'mongoose';
import { startLiveClassifier, type LiveClassifier, type LiveClassifierOptions } from '../ai/learning/live-classifier';
import type { DeskConfig } from '../config/desk-config.schema';
import type { Logger } from '../logger';
import { openTrainingExampleStore } from './training-example.repository';

export type { LiveClassifier } from '../ai/learning/live-classifier';

export interface CreateLiveClassifierOptions extends Omit<LiveClassifierOptions, 'store'> {
  connection: Connection;
  desk: DeskConfig;
  abstainBelow?: number;
  logger: Logger;
}

/**
 * The offline classifier of a running desk, trained from the seed plus the
 * team's examples stored on `connection` (`training_examples`), and the
 * learner that adds examples to it. Resolves once the first model is trained.
 */
export async function createLiveClassifier(opts: CreateLiveClassifierOptions): Promise<LiveClassifier> {
  const { connection, ...rest } = opts;
  const store = await openTrainingExampleStore(connection);
  return startLiveClassifier({ ...rest, store });
}
