/** SLA engine (pure): calendars, policies, clocks, status and notification planning. */
export {
  WEEKDAYS,
  CALENDAR_24X7,
  makeCalendar,
  addBusinessTime,
  businessTimeBetween,
  isBusinessTime,
  type Calendar,
  type CalendarInput,
  type Weekday,
  type WorkInterval,
} from './calendar';
export {
  DEFAULT_POLICIES,
  DEFAULT_REMINDER_FRACTIONS,
  TARGET_KINDS,
  parseTarget,
  formatTarget,
  targetMs,
  type SlaTarget,
  type SlaClock,
  type PriorityTargets,
  type TargetKind,
  type DurationUnit,
} from './targets';
export { REQUESTER_MANAGER, slaConfigSchema, type RawSlaConfig } from './config-schema';
export {
  validateSlaConfig,
  checkSlaConfig,
  resolvePolicy,
  calendarFor,
  escalationChainFor,
  type SlaConfig,
  type ResolvedPolicy,
  type PolicySource,
  type PolicyOverrides,
  type EscalationLevel,
  type Directory,
  type TeamSla,
  type ConfigProblem,
} from './policy';
export {
  startClock,
  pause,
  resume,
  changePriority,
  recordFirstResponse,
  acknowledgeEscalation,
  resolve,
  isPaused,
  isResolved,
  elapsedMs,
  instantAtElapsed,
  type SlaClockState,
  type SlaRun,
  type ReplanReason,
} from './clock';
export { slaStatus, type SlaStatus, type TargetStatus, type TargetPhase } from './status';
export { formatDuration, slaLabel, type SlaLocale } from './labels';
export {
  planNotifications,
  dueNotifications,
  nextFireAt,
  reminderRecipient,
  escalationRecipient,
  type NotificationPlan,
  type PlannedNotification,
  type Recipient,
  type TicketSnapshot,
} from './schedule';
export { firstEscalationContact } from './escalation-contact';
