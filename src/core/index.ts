export { type Clock, systemClock } from './clock.js';
export {
  type Config,
  defaultUrl,
  type LoadConfigOptions,
  loadConfig,
  redactUrl,
  SETTINGS,
} from './config.js';
export {
  type Actor,
  DEFAULT_PROJECT_ID,
  PROJECT_ID_PATTERN,
  type RequestContext,
  SYSTEM_ACTOR_NAME,
  USER_NAME_PATTERN,
} from './context.js';
export {
  CyclopsError,
  ERROR_STATUS,
  type ErrorCode,
  type ErrorDetails,
  httpStatusFor,
  invalid,
  isCyclopsError,
  isErrorCode,
  notFound,
} from './errors.js';
export { isRunId, newRunId, RUN_ID_PATTERN } from './ids.js';
export { createLogger, type Logger, REDACT_PATHS } from './logger.js';
export { decodeToken, encodeToken, isNonNegativeInt } from './page-token.js';
