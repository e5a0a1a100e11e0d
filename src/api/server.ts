import swagger from '@fastify/swagger';
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import { API_PREFIX } from '../contracts/index.js';
import type { Logger } from '../core/index.js';
import type { DatasetService } from '../data/index.js';
import type { TransformService } from '../features/index.js';
import type { Store } from '../store/index.js';
import type { ExperimentService, RunService } from '../tracking/index.js';
import type { StudyService, TrainingService } from '../training/index.js';
import { installErrorHandler } from './error-handler.js';
import { installHttpMetrics } from './http-metrics.js';
import { RunBundles } from './model-bundles.js';
import { installRequestContext } from './request-context.js';
import { auditRoutes } from './routes/audit.routes.js';
import { datasetOpsRoutes } from './routes/dataset-ops.routes.js';
import { datasetRoutes } from './routes/datasets.routes.js';
import { experimentRoutes } from './routes/experiments.routes.js';
import { runArtifactRoutes } from './routes/run-artifacts.routes.js';
import { runRoutes } from './routes/runs.routes.js';
import { trainingRoutes } from './routes/training.routes.js';
import { transformRoutes } from './routes/transforms.routes.js';
import { tuningRoutes } from './routes/tuning.routes.js';

export interface ApiDeps {
  logger: Logger;
  store: Store;
  experiments: ExperimentService;
  runs: RunService;
  datasets: DatasetService;
  transforms: TransformService;
  training: TrainingService;
  studies: StudyService;
  version: string;
  bodyLimitBytes: number;
  artifactMaxBytes: number;
}

export interface ApiServer {
  app: FastifyInstance;
  metrics: Registry;
}

/** The `api` role: native REST under /api/v1, OpenAPI, /healthz and /metrics. */
export async function buildApiServer(deps: ApiDeps): Promise<ApiServer> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ role: 'api' }) as FastifyBaseLogger,
    // Per-request log lines would cost more than a metric write; /metrics counts requests instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimitBytes,
    // Keep-alive clients (the SDK, MLflow's client) send many small requests: don't let Nagle delay replies.
    keepAliveTimeout: 65_000,
    routerOptions: { maxParamLength: 1024 },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.server.on('connection', (socket) => socket.setNoDelay(true));
  installErrorHandler(app, deps.logger);
  const metrics = installHttpMetrics(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CyclOps API',
        version: deps.version,
        description: 'Native REST API of CyclOps. Errors are {"error": {"code", "message", "details"}}.',
      },
    },
  });
  app.get(`${API_PREFIX}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async () => {
    await deps.store.db.selectFrom('projects').select('id').limit(1).execute();
    return { status: 'ok', store: deps.store.kind, version: deps.version };
  });

  await app.register(
    async (api) => {
      installRequestContext(api, deps.store.db);
      await api.register(experimentRoutes(deps.experiments));
      await api.register(runRoutes(deps.runs));
      await api.register(runArtifactRoutes(deps.runs, deps.artifactMaxBytes));
      await api.register(datasetRoutes(deps.datasets, deps.artifactMaxBytes));
      await api.register(datasetOpsRoutes(deps.datasets));
      await api.register(transformRoutes(deps.transforms));
      await api.register(trainingRoutes(deps.training, new RunBundles(deps.training)));
      await api.register(tuningRoutes(deps.studies));
      await api.register(auditRoutes(deps.store.db));
    },
    { prefix: API_PREFIX },
  );
  await app.ready();
  return { app, metrics };
}
