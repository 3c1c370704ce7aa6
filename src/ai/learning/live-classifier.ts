/**
 * The offline classifier a running desk uses, kept up to date with the team's
 * examples: trained at start from the seed plus every stored example, then
 * retrained in the background (see ./retrain-scheduler) when this process
 * learns an example, when an import arrives, or when a periodic check of the
 * store sees examples written by another process. The previous model answers
 * until the new one is ready.
 */
import { randomUUID } from 'node:crypto';
import type { DeskConfig } from '../../config/desk-config.schema';
import { ChatdeskError, isChatdeskError } from '../../domain/errors';
import type { Logger } from '../../logger';
import type { TicketClassifier } from '../classifier.port';
import { parseLabeledHistory, type HistoryFormat, type ImportOptions, type RowError } from '../import/labeled-history';
import { OfflineTicketClassifier, type TicketExample } from '../offline/ticket-classifier';
import { loadSeedModels, SEED_ABSTAIN_BELOW, seedTicketExamples } from '../seed';
import type { TaxonomyLearner } from './learner.port';
import { workerTrainer, type ModelTrainer } from './model-trainer';
import type { CategoryTuning } from '../offline/held-out-tuning';
import { RetrainScheduler } from './retrain-scheduler';
import type { ExampleSource, TrainingExampleStore } from './training-example.port';
import { buildTrainingSet, checkExample, latestById, type TrainingSet } from './training-set';

export const DEFAULT_RETRAIN_DEBOUNCE_MS = 2_000;
export const DEFAULT_RETRAIN_MAX_WAIT_MS = 15_000;
/** How often each process checks the store for examples written by others. */
export const DEFAULT_POLL_INTERVAL_MS = 30_000;
/** An import answers once the model including it is trained, or after this long (training goes on). */
export const IMPORT_WAIT_FOR_TRAINING_MS = 60_000;

export interface ModelStatus {
  /** Where the categories come from: the built-in seed or the team's examples. */
  taxonomy: TrainingSet['taxonomy'];
  priorities: TrainingSet['priorities'];
  categories: string[];
  examples: { category: number; priority: number; imported: number; recategorized: number };
  trainedAt: string | null;
  trainingMs: number;
  /** Below this category confidence a ticket goes to triage (and where the value comes from). */
  abstainBelow: number;
  abstainFrom: 'desk' | 'held-out' | 'seed';
  /** What tuning on held-out history chose and measured (when the team's history was large enough). */
  tuning?: CategoryTuning;
  /** Set when the last training failed (the previous model keeps answering). */
  lastError?: string;
}

/** The precision answered tickets should reach on held-out history when the desk file names none (`abstainPrecision`). */
export const DEFAULT_ABSTAIN_PRECISION = 0.8;

export interface ImportRequest {
  content: string;
  format: HistoryFormat;
  columns?: ImportOptions['columns'];
}

export type ImportOutcome =
  | {
      ok: true;
      batchId: string;
      rows: number;
      /** Examples stored (a later row with the same id replaces an earlier one). */
      imported: number;
      categories: Record<string, number>;
      priorities: Record<string, number>;
      withoutPriority: number;
      /** Categories no team in the desk configuration lists: their tickets go to the default team. */
      unroutedCategories: string[];
      defaultTeam: string;
      /** `trained`: new tickets already use the model with this import; `training`: still training. */
      model: ModelStatus & { state: 'trained' | 'training' | 'failed' };
    }
  | { ok: false; error: string; errors: RowError[]; moreErrors: number; rows: number };

export interface LiveClassifier {
  /** Classifies with the latest trained model. */
  classifier: TicketClassifier;
  learner: TaxonomyLearner;
  /** Validates a labelled history, stores it all or nothing, and retrains. */
  importHistory(request: ImportRequest): Promise<ImportOutcome>;
  status(): ModelStatus;
  /** Checks the store for examples written by other processes now (otherwise every `pollIntervalMs`); resolves once retrained if there were. */
  checkForUpdates(): Promise<boolean>;
  /** Retrains now; resolves when a training started after this call has finished. */
  retrain(): Promise<ModelStatus>;
  /** Resolves when no retraining is scheduled or running. */
  idle(): Promise<void>;
  /** Clears the timers and ends a running training. */
  stop(): Promise<void>;
}

export interface LiveClassifierOptions {
  store: TrainingExampleStore;
  desk: DeskConfig;
  logger: Logger;
  abstainBelow?: number;
  trainer?: ModelTrainer;
  debounceMs?: number;
  maxWaitMs?: number;
  pollIntervalMs?: number;
  /** The seed examples (default: the built-in seed). */
  seed?: readonly TicketExample[];
}

export async function startLiveClassifier(opts: LiveClassifierOptions): Promise<LiveClassifier> {
  const log = opts.logger.child({ component: 'classifier-learning' });
  // An explicit threshold (options, then the desk file) wins; otherwise the seed's until held-out history chooses one.
  const fixedAbstain = opts.abstainBelow ?? opts.desk.abstainBelow;
  const abstainBelow = fixedAbstain ?? SEED_ABSTAIN_BELOW;
  const seedAbstain = { abstainBelow, abstainFrom: fixedAbstain !== undefined ? ('desk' as const) : ('seed' as const) };
  const seed = opts.seed ?? seedTicketExamples();
  const trainer = opts.trainer ?? workerTrainer();
  const store = opts.store;
  const abort = new AbortController();
  const seedModels = loadSeedModels();
  let current = new OfflineTicketClassifier({ categoryModel: seedModels.category, priorityModel: seedModels.priority, abstainBelow });
  let status: ModelStatus = {
    taxonomy: 'seed',
    priorities: 'seed',
    categories: [...seedModels.category.labels],
    examples: { category: 0, priority: 0, imported: 0, recategorized: 0 },
    trainedAt: null,
    trainingMs: 0,
    ...seedAbstain,
  };
  /** Fingerprint of the store the current model was trained from (undefined: retry on the next check). */
  let trainedFrom: string | undefined;

  const train = async (): Promise<void> => {
    const fingerprint = await store.fingerprint();
    const stored = await store.loadAll();
    const set = buildTrainingSet(seed, stored);
    let next: OfflineTicketClassifier;
    let trainingMs = 0;
    let abstain: Pick<ModelStatus, 'abstainBelow' | 'abstainFrom' | 'tuning'> = seedAbstain;
    try {
      if (set.team.imported + set.team.recategorized === 0) {
        next = new OfflineTicketClassifier({ categoryModel: seedModels.category, priorityModel: seedModels.priority, abstainBelow });
      } else {
        // The team's own taxonomy is tuned on its own held-out history (unless the desk file fixes the threshold).
        const tune = set.taxonomy === 'team' ? { targetPrecision: opts.desk.abstainPrecision ?? DEFAULT_ABSTAIN_PRECISION } : undefined;
        const trained = await trainer({ category: set.category, priority: set.priority, ...(tune ? { tune } : {}) }, abort.signal);
        trainingMs = trained.trainingMs;
        if (trained.tuning && fixedAbstain === undefined)
          abstain = { abstainBelow: trained.tuning.abstainBelow, abstainFrom: 'held-out', tuning: trained.tuning };
        else if (trained.tuning) abstain = { ...seedAbstain, tuning: trained.tuning };
        next = new OfflineTicketClassifier({ categoryModel: trained.categoryModel, priorityModel: trained.priorityModel, abstainBelow: abstain.abstainBelow });
      }
    } catch (err) {
      trainedFrom = undefined;
      status = { ...status, lastError: (err as Error).message };
      throw err;
    }
    current = next;
    trainedFrom = fingerprint;
    status = {
      taxonomy: set.taxonomy,
      priorities: set.priorities,
      categories: set.categories,
      examples: { category: set.category.length, priority: set.priority.length, ...set.team },
      trainedAt: new Date().toISOString(),
      trainingMs: Math.round(trainingMs),
      ...abstain,
    };
    log.info(
      {
        ...status.examples,
        taxonomy: set.taxonomy,
        priorities: set.priorities,
        categories: set.categories.length,
        trainingMs: status.trainingMs,
        abstainBelow: status.abstainBelow,
        abstainFrom: status.abstainFrom,
        heldOut: status.tuning?.heldOut,
      },
      'classifier retrained',
    );
  };

  const scheduler = new RetrainScheduler({
    train,
    onError: (err) => {
      if ((err as Error)?.name === 'AbortError') return;
      log.error({ err }, 'classifier retraining failed; the previous model keeps answering');
    },
    debounceMs: opts.debounceMs ?? DEFAULT_RETRAIN_DEBOUNCE_MS,
    maxWaitMs: opts.maxWaitMs ?? DEFAULT_RETRAIN_MAX_WAIT_MS,
  });

  // The first model: seed plus everything stored (awaited, so that a team's taxonomy is used from the first ticket).
  await scheduler.retrainNow();

  let checking: Promise<boolean> | undefined;
  const check = (): Promise<boolean> =>
    (checking ??= (async () => {
      try {
        if (scheduler.busy) return false;
        const fingerprint = await store.fingerprint();
        if (fingerprint === trainedFrom) return false;
        log.debug({ fingerprint }, 'new training examples in the store');
        await scheduler.retrainNow();
        return true;
      } finally {
        checking = undefined;
      }
    })());
  const pollMs = opts.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const poll = setInterval(() => {
    check().catch((err: unknown) => log.warn({ err }, 'checking for new training examples failed'));
  }, pollMs);
  poll.unref();

  const learner: TaxonomyLearner = {
    learn: async (example, source) => {
      const clean = cleanExample(example);
      checkExample(clean);
      if (source !== 'recategorized' && source !== 'imported') {
        throw new ChatdeskError('chatdesk_classifier_input_invalid', `unknown example source ${String(source)}`);
      }
      await storeOne(store, clean, source);
      scheduler.request();
    },
  };

  return {
    classifier: { classify: (input) => current.classify(input) },
    learner,
    status: () => status,
    idle: () => scheduler.idle(),
    retrain: async () => {
      await scheduler.retrainNow();
      return status;
    },
    checkForUpdates: check,
    importHistory: async (request) => {
      let parsed: ReturnType<typeof parseLabeledHistory>;
      try {
        parsed = parseLabeledHistory(request.content, { format: request.format, columns: request.columns });
      } catch (err) {
        if (isChatdeskError(err, 'chatdesk_classifier_input_invalid')) {
          const line = typeof err.details.line === 'number' ? err.details.line : undefined;
          return { ok: false, error: err.message, errors: line ? [{ line, message: err.message }] : [], moreErrors: 0, rows: 0 };
        }
        throw err;
      }
      if (parsed.errors.length > 0) {
        const bad = parsed.errors.length + parsed.moreErrors;
        return {
          ok: false,
          error: `${bad} of ${parsed.rows} row${parsed.rows === 1 ? ' has' : 's have'} errors; nothing was imported`,
          errors: parsed.errors,
          moreErrors: parsed.moreErrors,
          rows: parsed.rows,
        };
      }
      const examples = latestById(parsed.examples.map(({ line: _line, ...e }) => e));
      if (examples.length === 0) return { ok: false, error: 'the file has no examples; nothing was imported', errors: [], moreErrors: 0, rows: parsed.rows };
      const stored = await store.loadAll();
      const after = buildTrainingSet(seed, [...stored, ...examples.map((e) => ({ ...e, source: 'imported' as const }))]);
      if (after.taxonomy !== 'team') {
        const only = [...new Set(examples.map((e) => e.category))].join(', ');
        return {
          ok: false,
          error: `a taxonomy needs at least 2 categories; this history names only ${only}; nothing was imported`,
          errors: [],
          moreErrors: 0,
          rows: parsed.rows,
        };
      }
      const categories = countBy(examples, (e) => e.category);
      const priorities = countBy(examples, (e) => e.priority);
      const batchId = `imp_${randomUUID()}`;
      await store.addBatch(examples, { batchId, rows: parsed.rows, examples: examples.length, categories, priorities });
      log.info({ batchId, rows: parsed.rows, examples: examples.length, categories: Object.keys(categories).length }, 'labelled history imported');
      const routed = new Set(opts.desk.teams.flatMap((t) => t.categories));
      const trained = scheduler.retrainNow().then(() => 'done' as const);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waited = await Promise.race([
        trained,
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), IMPORT_WAIT_FOR_TRAINING_MS))),
      ]);
      clearTimeout(timer);
      const includesImport = waited === 'done' && status.lastError === undefined && trainedFrom !== undefined;
      return {
        ok: true,
        batchId,
        rows: parsed.rows,
        imported: examples.length,
        categories,
        priorities,
        withoutPriority: examples.filter((e) => !e.priority).length,
        unroutedCategories: Object.keys(categories)
          .filter((c) => !routed.has(c))
          .sort(),
        defaultTeam: opts.desk.defaultTeam,
        model: { ...status, state: includesImport ? 'trained' : waited === 'timeout' ? 'training' : 'failed' },
      };
    },
    stop: async () => {
      clearInterval(poll);
      abort.abort();
      await scheduler.stop();
      await checking?.catch(() => false);
    },
  };
}

function cleanExample(example: TicketExample): TicketExample {
  if (!example || typeof example !== 'object') throw new ChatdeskError('chatdesk_classifier_input_invalid', 'example must be an object');
  return {
    ...(example.id !== undefined && example.id !== null ? { id: example.id } : {}),
    title: example.title,
    ...(example.description ? { description: example.description } : {}),
    ...(example.category !== undefined && example.category !== null ? { category: example.category } : {}),
    ...(example.priority !== undefined && example.priority !== null ? { priority: example.priority } : {}),
  };
}

async function storeOne(store: TrainingExampleStore, example: TicketExample, source: ExampleSource): Promise<void> {
  if (source === 'recategorized') return store.add(example, source);
  // An imported example on its own is a batch of one (so that it is trained on like any import).
  const batchId = `imp_${randomUUID()}`;
  await store.addBatch([example], {
    batchId,
    rows: 1,
    examples: 1,
    categories: countBy([example], (e) => e.category),
    priorities: countBy([example], (e) => e.priority),
  });
}

function countBy<T>(items: readonly T[], key: (item: T) => string | undefined): Record<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  // fromEntries defines own properties: a category called "__proto__" stays a plain key.
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}
