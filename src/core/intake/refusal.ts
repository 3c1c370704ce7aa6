import { isChatdeskError } from '../../domain/errors';
import { type Locale, t } from '../i18n';

/**
 * What a person is told when their request was not stored: `busy` (over the
 * inbox bounds; retry later) or `unavailable` (the database failed). Adapters
 * answer the platform with a failure status where it shows one to the person
 * (and retries), and with this text where only a message can say it.
 */
export function intakeRefusal(err: unknown, locale: Locale): { reason: 'busy' | 'unavailable'; status: 503; text: string } {
  const busy = isChatdeskError(err, 'chatdesk_busy');
  return { reason: busy ? 'busy' : 'unavailable', status: 503, text: t(locale, busy ? 'intake.busy' : 'intake.unavailable') };
}
