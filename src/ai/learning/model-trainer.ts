/**
 * Trains the category and priority models. Training is synchronous CPU work
 * (about 0.7 s per 1,000 examples on one core), so the live classifier runs it
 * in a worker thread: the event loop keeps answering chat requests and the
 * current model keeps classifying meanwhile. The models come back as JSON;
 * they predict with quantised weights, so the restored model is the trained one.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ChatdeskError, type ErrorCode } from '../../domain/errors';
import type { LabeledExample } from '../classifier.port';
import { type CategoryTuning, tuneCategoryModel } from '../offline/held-out-tuning';
import { OfflineTextClassifier, type TextClassifierJSON, type TextClassifierOptions } from '../offline/text-classifier';

export interface TrainRequest {
  category: LabeledExample[];
  priority: LabeledExample[];
  options?: Partial<TextClassifierOptions>;
  /** Tune the category model on held-out history first (class weights, abstain threshold for this precision). */
  tune?: { targetPrecision: number };
}

export interface TrainedModels {
  categoryModel: OfflineTextClassifier;
  priorityModel: OfflineTextClassifier;
  /** Time spent training both models (and tuning, when asked). */
  trainingMs: number;
  /** What held-out tuning chose, when it was asked for and there was enough history. */
  tuning?: CategoryTuning;
}

export type ModelTrainer = (request: TrainRequest, signal?: AbortSignal) => Promise<TrainedModels>;

interface TrainedJson {
  category: TextClassifierJSON;
  priority: TextClassifierJSON;
  trainingMs: number;
  tuning?: CategoryTuning;
}

/** Both models, the category one with what held-out tuning chose. */
function trainBoth(request: TrainRequest): { category: OfflineTextClassifier; priority: OfflineTextClassifier; tuning?: CategoryTuning } {
  const tuning = request.tune ? tuneCategoryModel(request.category, request.tune.targetPrecision, request.options) : undefined;
  const category = OfflineTextClassifier.train(request.category, { ...request.options, ...(tuning ? { balanced: tuning.balanced } : {}) });
  const priority = OfflineTextClassifier.train(request.priority, request.options);
  return { category, priority, ...(tuning ? { tuning } : {}) };
}

/** Trains both models in this thread and returns them as JSON (what the worker runs). */
export function trainModelsJson(request: TrainRequest): TrainedJson {
  const t0 = performance.now();
  const { category, priority, tuning } = trainBoth(request);
  return { category: category.toJSON(), priority: priority.toJSON(), trainingMs: performance.now() - t0, ...(tuning ? { tuning } : {}) };
}

/** Trains in the calling thread (blocks it: for tests and small sets only). */
export const inlineTrainer: ModelTrainer = (request) => {
  try {
    const t0 = performance.now();
    const { category, priority, tuning } = trainBoth(request);
    return Promise.resolve({ categoryModel: category, priorityModel: priority, trainingMs: performance.now() - t0, ...(tuning ? { tuning } : {}) });
  } catch (err) {
    return Promise.reject(err);
  }
};

/**
 * The worker's program. Under the test runner this module is TypeScript
 * source: the worker then compiles it (and what it imports) with @swc/core,
 * a dev dependency; the shipped build is plain JavaScript and needs nothing.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.swc) {
  const fs = require('node:fs');
  const swc = require(workerData.swc);
  require.extensions['.ts'] = (module, filename) => {
    const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
      filename, jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' },
    });
    module._compile(code, filename);
  };
}
try {
  parentPort.postMessage({ ok: require(workerData.entry).trainModelsJson(workerData.request) });
} catch (err) {
  parentPort.postMessage({ error: { message: String(err && err.message || err), code: err && err.code } });
}
`;

/** Trains each request in a fresh worker thread (ended when done, or when `signal` aborts). */
export function workerTrainer(): ModelTrainer {
  const entry = __filename;
  const swc = path.extname(entry) === '.ts' ? require.resolve('@swc/core') : undefined;
  return (request, signal) =>
    new Promise<TrainedModels>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { entry, swc, request } });
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        fn();
        void worker.terminate();
      };
      const onAbort = (): void => finish(() => reject(abortError()));
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.once('message', (msg: { ok?: TrainedJson; error?: { message: string; code?: string } }) => {
        if (msg.error) {
          const code = msg.error.code?.startsWith('chatdesk_') ? (msg.error.code as ErrorCode) : 'chatdesk_classifier_untrained';
          return finish(() => reject(new ChatdeskError(code, `training failed: ${msg.error!.message}`)));
        }
        try {
          const trained: TrainedModels = {
            categoryModel: OfflineTextClassifier.fromJSON(msg.ok!.category),
            priorityModel: OfflineTextClassifier.fromJSON(msg.ok!.priority),
            trainingMs: msg.ok!.trainingMs,
            ...(msg.ok!.tuning ? { tuning: msg.ok!.tuning } : {}),
          };
          finish(() => resolve(trained));
        } catch (err) {
          finish(() => reject(err as Error));
        }
      });
      worker.once('error', (err) =>
        finish(() => reject(new ChatdeskError('chatdesk_classifier_untrained', `training worker failed: ${err.message}`, {}, { cause: err }))),
      );
      worker.once('exit', (code) => finish(() => reject(new ChatdeskError('chatdesk_classifier_untrained', `training worker exited with code ${code}`))));
    });
}

function abortError(): Error {
  const err = new Error('training stopped');
  err.name = 'AbortError';
  return err;
}
