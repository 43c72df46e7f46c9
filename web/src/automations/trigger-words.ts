/**
 * The server's trigger words and limits (lambdas/domain/automations/trigger-words.ts, zod-free), the
 * one place the UI takes them from: the editor's live sentence is the server's own `triggerInWords`.
 */
export {
  delayInWords,
  eventInWords,
  MAX_DELAY_MINUTES,
  MAX_EXIT_EVENTS,
  MAX_INACTIVITY_DAYS,
  MAX_REENTRY_DAYS,
  TRIGGER_EVENT_TYPES,
  triggerInWords,
} from '../../../lambdas/domain/automations/trigger-words';
