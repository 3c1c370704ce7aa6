/**
 * The training example store on the real database (FerretDB here, or MONGODB_URI):
 * imports are all or nothing, processes sharing the database see each other's
 * examples, and a live classifier on a second connection picks them up.
 */
import mongoose, { type Connection } from 'mongoose';
import { startLiveClassifier } from '../../../../src/ai/learning/live-classifier';
import { inlineTrainer } from '../../../../src/ai/learning/model-trainer';
import { defaultDeskConfig } from '../../../../src/config/default-desk-config';
import { deskConfigSchema } from '../../../../src/config/desk-config.schema';
import { silentLogger } from '../../../../src/logger';
import { registerTrainingModels } from '../../../../src/store/training-example.model';
import { MongoTrainingExampleStore, openTrainingExampleStore } from '../../../../src/store/training-example.repository';
import { testMongoUri } from '../../../support/test-db';

const desk = deskConfigSchema.parse(defaultDeskConfig);
const info = (batchId: string, n: number) => ({ batchId, rows: n, examples: n, categories: {}, priorities: {} });

describe('training example store', () => {
  const uri = testMongoUri('training-store');
  let a: Connection;
  let b: Connection;
  beforeAll(async () => {
    a = await mongoose.createConnection(uri, { autoIndex: false }).asPromise();
    b = await mongoose.createConnection(uri, { autoIndex: false }).asPromise();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('keeps examples in order with their source and batch, and the fingerprint changes with every write from any connection', async () => {
    const one = await openTrainingExampleStore(a);
    const two = await openTrainingExampleStore(b);
    const empty = await two.fingerprint();
    await one.add({ id: 'T-1', title: 'printer jammed', category: 'hardware', priority: 'P3' }, 'recategorized');
    const afterOne = await two.fingerprint();
    expect(afterOne).not.toBe(empty);
    await one.addBatch(
      [
        { title: 'payslip wrong', description: 'overtime missing', category: 'payroll', priority: 'P2' },
        { id: 'H-2', title: 'VPN 连不上', category: 'vpn' },
      ],
      info('imp_a', 2),
    );
    expect(await two.fingerprint()).not.toBe(afterOne);
    const loaded = await two.loadAll();
    expect(loaded.map(({ createdAt, ...e }) => e)).toEqual([
      { id: 'T-1', title: 'printer jammed', category: 'hardware', priority: 'P3', source: 'recategorized' },
      { title: 'payslip wrong', description: 'overtime missing', category: 'payroll', priority: 'P2', source: 'imported', batchId: 'imp_a' },
      { id: 'H-2', title: 'VPN 连不上', category: 'vpn', source: 'imported', batchId: 'imp_a' },
    ]);
  });

  it('never uses the examples of an import interrupted before it completed, and purges them later', async () => {
    const store = await openTrainingExampleStore(a);
    const before = (await store.loadAll()).length;
    // What a crash half-way through addBatch leaves: examples without their batch row.
    await a
      .collection('training_examples')
      .insertOne({ title: 'half an import', category: 'x', source: 'imported', batchId: 'imp_crashed', createdAt: new Date() });
    expect((await store.loadAll()).length).toBe(before);
    const later = new MongoTrainingExampleStore(await registerTrainingModels(a), () => new Date(Date.now() + 2 * 60 * 60 * 1000));
    expect(await later.purgeAbandonedImports()).toBe(1);
    expect(await a.collection('training_examples').countDocuments({ batchId: 'imp_crashed' })).toBe(0);
    expect(await later.purgeAbandonedImports()).toBe(0); // completed imports are kept
    expect((await store.loadAll()).length).toBe(before);
  });

  it('a live classifier on another connection picks up examples another process imported', async () => {
    const mine = await startLiveClassifier({ store: await openTrainingExampleStore(a), desk, logger: silentLogger(), trainer: inlineTrainer });
    const theirs = await startLiveClassifier({ store: await openTrainingExampleStore(b), desk, logger: silentLogger(), trainer: inlineTrainer });
    try {
      const outcome = await mine.importHistory({
        format: 'jsonl',
        content: [
          { title: 'coffee machine leaking', category: 'kitchen' },
          { title: 'fridge in the kitchen smells', category: 'kitchen' },
          { title: 'parking gate stuck', category: 'parking' },
          { title: 'no free parking space', category: 'parking' },
        ]
          .map((o) => JSON.stringify(o))
          .join('\n'),
      });
      expect(outcome).toMatchObject({ ok: true, imported: 4, model: { state: 'trained', taxonomy: 'team' } });
      expect(theirs.status().categories).not.toContain('kitchen');
      expect(await theirs.checkForUpdates()).toBe(true);
      expect(theirs.status()).toMatchObject({ taxonomy: 'team' });
      expect(theirs.status().categories).toEqual(expect.arrayContaining(['kitchen', 'parking']));
      expect(await theirs.checkForUpdates()).toBe(false); // nothing new since
    } finally {
      await mine.stop();
      await theirs.stop();
    }
  });
});
