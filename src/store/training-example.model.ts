import { type Connection, type Model, Schema, type Types } from 'mongoose';

/**
 * The team's labelled examples for the offline classifier: imported history
 * and agents' recategorisations (`training_examples`), and one row per
 * completed import (`training_imports`), written after its examples: an
 * imported example counts only once its batch row exists, which makes an
 * import all or nothing without transactions (FerretDB has none). One
 * `training_state` row gets a new random `changeId` after every write, so
 * that each process can tell cheaply whether another one added examples
 * (counting or sorting the examples takes seconds on FerretDB at 10,000).
 * Inside the FerretDB 1.24 subset: plain indexes only, no TTL, no nested arrays.
 */
export interface TrainingExampleRecord {
  _id: Types.ObjectId;
  /** The example's own id (e.g. the ticket id): a later example with the same id replaces an earlier one. */
  exampleId?: string | null;
  title: string;
  description?: string | null;
  category?: string | null;
  priority?: string | null;
  source: 'recategorized' | 'imported';
  batchId?: string | null;
  createdAt: Date;
}

export interface TrainingImportRecord {
  _id: string;
  createdAt: Date;
  rows: number;
  examples: number;
  categories: Array<{ label: string; count: number }>;
  priorities: Array<{ label: string; count: number }>;
}

const exampleSchema = new Schema<TrainingExampleRecord>(
  {
    exampleId: { type: String, default: null },
    title: { type: String, required: true },
    description: { type: String, default: null },
    category: { type: String, default: null },
    priority: { type: String, default: null },
    source: { type: String, enum: ['recategorized', 'imported'], required: true },
    batchId: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'training_examples', versionKey: false },
);
exampleSchema.index({ createdAt: 1, _id: 1 });
exampleSchema.index({ batchId: 1 });

const labelCount = new Schema({ label: String, count: Number }, { _id: false });
const importSchema = new Schema<TrainingImportRecord>(
  {
    _id: { type: String, required: true },
    createdAt: { type: Date, required: true },
    rows: Number,
    examples: Number,
    categories: { type: [labelCount], default: [] },
    priorities: { type: [labelCount], default: [] },
  },
  { collection: 'training_imports', versionKey: false },
);

export interface TrainingStateRecord {
  _id: string;
  changeId: string;
  changedAt: Date;
}

const stateSchema = new Schema<TrainingStateRecord>(
  { _id: { type: String, required: true }, changeId: { type: String, required: true }, changedAt: { type: Date, required: true } },
  { collection: 'training_state', versionKey: false },
);

export interface TrainingModels {
  TrainingExample: Model<TrainingExampleRecord>;
  TrainingImport: Model<TrainingImportRecord>;
  TrainingState: Model<TrainingStateRecord>;
}

/** Registers the models on `conn` (once per connection) and creates their indexes. */
export async function registerTrainingModels(conn: Connection): Promise<TrainingModels> {
  const models: TrainingModels = {
    TrainingExample:
      (conn.models.TrainingExample as Model<TrainingExampleRecord> | undefined) ?? conn.model<TrainingExampleRecord>('TrainingExample', exampleSchema),
    TrainingImport: (conn.models.TrainingImport as Model<TrainingImportRecord> | undefined) ?? conn.model<TrainingImportRecord>('TrainingImport', importSchema),
    TrainingState: (conn.models.TrainingState as Model<TrainingStateRecord> | undefined) ?? conn.model<TrainingStateRecord>('TrainingState', stateSchema),
  };
  await Promise.all(Object.values(models).map((m: Model<unknown>) => m.syncIndexes()));
  return models;
}
