import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { TicketEventType } from '../core/webhooks/ticket-events';
import type { WebhookAttempt, WebhookStore, WebhookSubscription } from '../core/webhooks/webhook-subscription';
import type { WebhookAttemptRecord, WebhookModels, WebhookRecord } from './webhook.model';

const toAttempt = (r: Record<string, unknown> | WebhookAttemptRecord): WebhookAttempt => {
  const a = r as WebhookAttemptRecord;
  return {
    at: new Date(a.at),
    eventId: a.eventId,
    eventType: a.eventType,
    attempt: a.attempt,
    ...(typeof a.status === 'number' ? { status: a.status } : {}),
    latencyMs: a.latencyMs,
    ok: a.ok,
    ...(a.error ? { error: a.error } : {}),
  };
};

const toSubscription = (r: WebhookRecord): WebhookSubscription => ({
  id: r._id,
  url: r.url,
  events: r.events as TicketEventType[],
  ...(r.description ? { description: r.description } : {}),
  state: r.state,
  createdAt: r.createdAt,
  createdBy: r.createdBy,
  ...(r.failingSince ? { failingSince: r.failingSince } : {}),
  ...(r.disabledAt ? { disabledAt: r.disabledAt } : {}),
  ...(r.disabledReason ? { disabledReason: r.disabledReason } : {}),
  ...(r.lastDelivery ? { lastDelivery: toAttempt(r.lastDelivery) } : {}),
});

export class MongoWebhookStore implements WebhookStore {
  constructor(private readonly models: WebhookModels) {}

  async create(sub: Omit<WebhookSubscription, 'id' | 'state'>, secret: string): Promise<WebhookSubscription> {
    const record: WebhookRecord = {
      _id: `wh_${randomBytes(8).toString('hex')}`,
      url: sub.url,
      events: [...sub.events],
      description: sub.description ?? null,
      secret,
      state: 'active',
      createdAt: sub.createdAt,
      createdBy: sub.createdBy,
      failingSince: null,
      disabledAt: null,
      disabledReason: null,
      lastDelivery: null,
    };
    await this.models.Webhook.create(record);
    return toSubscription(record);
  }

  async find(id: string): Promise<(WebhookSubscription & { secret: string }) | null> {
    const r = await this.models.Webhook.findOne({ _id: String(id) }).lean();
    return r ? { ...toSubscription(r), secret: r.secret } : null;
  }

  async list(): Promise<WebhookSubscription[]> {
    return (await this.models.Webhook.find({}).sort({ createdAt: 1 }).limit(1000).lean()).map(toSubscription);
  }

  async activeFor(types: readonly string[]): Promise<WebhookSubscription[]> {
    return (await this.models.Webhook.find({ state: 'active', events: { $in: [...types] } }).lean()).map(toSubscription);
  }

  async remove(id: string): Promise<WebhookSubscription | null> {
    const r = await this.models.Webhook.findOne({ _id: String(id) }).lean();
    if (!r) return null;
    await this.models.Webhook.deleteOne({ _id: r._id });
    return toSubscription(r);
  }

  async recordAttempt(id: string, attempt: WebhookAttempt): Promise<Date | undefined> {
    const plain = { ...attempt, at: attempt.at };
    await this.models.WebhookAttempt.create({
      _id: new Types.ObjectId().toHexString(),
      subscriptionId: id,
      ...plain,
      status: attempt.status ?? null,
      error: attempt.error ?? null,
    });
    if (attempt.ok) {
      await this.models.Webhook.updateOne({ _id: id }, { $set: { lastDelivery: plain, failingSince: null } });
      return undefined;
    }
    // The first failure since the last success starts the clock that disables a subscription that keeps failing.
    await this.models.Webhook.updateOne({ _id: id, failingSince: null }, { $set: { failingSince: attempt.at } });
    await this.models.Webhook.updateOne({ _id: id }, { $set: { lastDelivery: plain } });
    const r = await this.models.Webhook.findOne({ _id: id }, { failingSince: 1 }).lean();
    return r?.failingSince ?? attempt.at;
  }

  async disable(id: string, now: Date, reason: string): Promise<void> {
    await this.models.Webhook.updateOne({ _id: id, state: 'active' }, { $set: { state: 'disabled', disabledAt: now, disabledReason: reason.slice(0, 300) } });
  }

  async attempts(id: string, limit: number): Promise<WebhookAttempt[]> {
    return (
      await this.models.WebhookAttempt.find({ subscriptionId: String(id) })
        .sort({ at: -1, _id: -1 })
        .limit(limit)
        .lean()
    ).map(toAttempt);
  }

  async purgeAttempts(before: Date): Promise<number> {
    return (await this.models.WebhookAttempt.deleteMany({ at: { $lt: before } })).deletedCount ?? 0;
  }
}
