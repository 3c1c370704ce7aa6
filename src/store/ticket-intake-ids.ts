import { mapLimit } from '../core/map-limit';
import { DIRECT_INTAKE } from './ticket.mapper';
import type { StoreModels } from './ticket.model';
import { setStartMark } from './start-marks';

const MARK = 'tickets:intake-ids:v1';

/**
 * `intakeId` is unique among tickets (one ticket per inbound request). Tickets
 * stored before that had none (null) for tickets opened without a request:
 * they get `direct:<_id>` once, before the unique index is built.
 */
export async function backfillIntakeIds(models: StoreModels): Promise<number> {
  if (await models.Counter.findById(MARK).lean()) return 0;
  const rows = await models.Ticket.find({ intakeId: null }, { _id: 1 }).lean();
  await mapLimit(rows, 8, (r) => models.Ticket.updateOne({ _id: r._id, intakeId: null }, { $set: { intakeId: `${DIRECT_INTAKE}${r._id}` } }));
  await setStartMark(models, MARK, 1);
  return rows.length;
}
