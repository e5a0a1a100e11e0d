import { buildApiServer } from '../api/index.js';
import { LocalArtifactStore } from '../artifacts/index.js';
import { type Config, CyclopsError, createLogger, type Logger } from '../core/index.js';
import { DatasetService } from '../data/index.js';
import { EventBus } from '../events/index.js';
import { LocalExecutor } from '../exec/index.js';
import { TransformService } from '../features/index.js';
import { openStore } from '../store/index.js';
import { ExperimentService, RunService } from '../tracking/index.js';
import { StudyService, TrainingService } from '../training/index.js';
import { trackingTracker } from './training-tracker.js';
import { packageVersion } from './version.js';

export const ROLES = ['api', 'serving', 'worker', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];
/** Roles this build implements; the others arrive with their issues. */
export const IMPLEMENTED_ROLES: readonly Role[] = ['api'];

export interface RunningPlatform {
  url: string;
  storeKind: string;
  close(): Promise<void>;
}

export interface StartOptions {
  roles: readonly string[];
  version: string;
  logger?: Logger;
}

/**
 * The composition root: opens the store and artifact store, wires the domain services and starts the
 * requested roles. `cyclops up` and `cyclops server` both come through here.
 */
export async function startPlatform(config: Config, options: StartOptions): Promise<RunningPlatform> {
  const unknown = options.roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new CyclopsError(
      'invalid_argument',
      `Unknown role(s) ${unknown.join(', ')}; valid roles: ${ROLES.join(', ')}`,
      {
        field: 'roles',
      },
    );
  }
  const logger = options.logger ?? createLogger(config.logLevel);
  const pending = options.roles.filter((r) => !IMPLEMENTED_ROLES.includes(r as Role));
  if (pending.length > 0)
    logger.warn({ roles: pending }, 'these roles are not implemented yet and are skipped');

  const store = await openStore({
    databaseUrl: config.databaseUrl,
    home: config.home,
    poolSize: config.databasePoolSize,
  });
  const artifacts = new LocalArtifactStore(config.artifactsDir);
  const events = new EventBus(store);
  const experiments = new ExperimentService(store.db);
  const runs = new RunService(store.db, artifacts, {
    // PGlite is one connection: one group commit at a time. A pool can overlap a few.
    writerConcurrency: store.kind === 'pglite' ? 1 : Math.max(1, Math.min(4, config.databasePoolSize - 2)),
  });

  const datasets = new DatasetService(store.db, artifacts);
  const transforms = new TransformService(store.db, datasets);
  // Fits, tuning trials and batch jobs run on worker threads, never on the API's event loop.
  const executor = new LocalExecutor();
  const tracker = trackingTracker(experiments, runs);
  const training = new TrainingService({
    datasets,
    executor,
    tracker,
    codeVersion: `cyclops-mlops ${packageVersion()}`,
  });
  const studies = new StudyService({ db: store.db, training, tracker });

  let server: Awaited<ReturnType<typeof buildApiServer>> | undefined;
  try {
    await events.start();
    server = await buildApiServer({
      logger,
      store,
      experiments,
      runs,
      datasets,
      transforms,
      training,
      studies,
      version: options.version,
      bodyLimitBytes: config.bodyLimitBytes,
      artifactMaxBytes: config.artifactMaxBytes,
    });
    await server.app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await server?.app.close().catch(() => undefined);
    await studies.close().catch(() => undefined);
    await executor.close().catch(() => undefined);
    await events.stop().catch(() => undefined);
    await store.close().catch(() => undefined);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CyclopsError(
        'unavailable',
        `Port ${config.port} on ${config.host} is in use: stop what holds it or pass --port`,
        {
          field: 'port',
        },
      );
    }
    throw err;
  }
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  store.lock?.setUrl(url);
  logger.info({ url, store: store.kind, roles: options.roles }, 'CyclOps is listening');

  let closing: Promise<void> | undefined;
  const app = server.app;
  return {
    url,
    storeKind: store.kind,
    close() {
      closing ??= (async () => {
        await app.close();
        // Studies still running end as cancelled (resumable); then the fits they wait for are stopped.
        await studies.close();
        await executor.close();
        await events.stop();
        await store.close();
      })();
      return closing;
    },
  };
}
