export {
  type CliConfig,
  type CliDeps,
  type Role,
  type RunningServer,
  type StartServerOptions,
  UP_ROLES,
  VALID_ROLES,
} from './deps.js';
export { EXIT_RUNTIME, EXIT_USAGE } from './error-report.js';
export { createProgram, runCli } from './program.js';
