/** Training in a worker thread gives the same model as training in this thread. */
import { inlineTrainer, workerTrainer } from '../../../../src/ai/learning/model-trainer';
import { seedCategoryExamples, seedPriorityExamples } from '../../../../src/ai/seed';

describe('model trainer', () => {
  const request = { category: seedCategoryExamples(), priority: seedPriorityExamples() };

  it('trains in a worker thread and answers exactly like a model trained here', async () => {
    const [inWorker, here] = await Promise.all([workerTrainer()(request), inlineTrainer(request)]);
    expect(inWorker.categoryModel.labels).toEqual(here.categoryModel.labels);
    for (const text of ['VPN 连不上', 'my laptop screen is cracked', 'please reset my password', '工资条有问题']) {
      expect(inWorker.categoryModel.predict(text)).toEqual(here.categoryModel.predict(text));
      expect(inWorker.priorityModel.predict(text)).toEqual(here.priorityModel.predict(text));
    }
  });

  it('reports a training error with its code, and stops when aborted', async () => {
    await expect(workerTrainer()({ category: [{ text: 'only one label', label: 'a' }], priority: request.priority })).rejects.toMatchObject({
      code: 'chatdesk_classifier_input_invalid',
    });
    const abort = new AbortController();
    const training = workerTrainer()(request, abort.signal);
    abort.abort();
    await expect(training).rejects.toMatchObject({ name: 'AbortError' });
  });
});
