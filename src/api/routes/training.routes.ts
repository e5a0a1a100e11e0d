import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AlgorithmListResponse,
  ErrorBody,
  EvaluateRunRequest,
  EvaluateRunResponse,
  PredictRowsRequest,
  PredictRowsResponse,
  RunIdParams,
  TrainingJobListResponse,
  TrainingJobParams,
  TrainingJobResponse,
  TrainQuery,
  TrainRequest,
} from '../../contracts/index.js';
import type { TrainingService } from '../../training/index.js';
import type { RunBundles } from '../model-bundles.js';
import { presentTrainingJob } from '../training-presenters.js';

const errors = { 400: ErrorBody, 404: ErrorBody };
const tags = ['training'];

/** Training on dataset versions (background jobs recorded as runs) and predicting with a run's bundle. */
export function trainingRoutes(training: TrainingService, bundles: RunBundles): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/training/algorithms',
      {
        schema: {
          tags,
          summary: 'The built-in algorithms, their tasks and hyperparameters',
          response: { 200: AlgorithmListResponse },
        },
      },
      async () => ({ algorithms: training.algorithms() }),
    );

    app.post(
      '/training/jobs',
      {
        schema: {
          tags,
          summary:
            'Train a model: the data is loaded and checked, a run started, and the fit runs in the background (202); with wait=true the answer comes when training has ended',
          body: TrainRequest,
          querystring: TrainQuery,
          response: { 200: TrainingJobResponse, 202: TrainingJobResponse, ...errors },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const job = await training.start(req.ctx, {
          train: b.train,
          validation: b.validation,
          test: b.test,
          target: b.target,
          task: b.task,
          algorithm: b.algorithm,
          params: b.params,
          features: b.features,
          transform: b.transform,
          seed: b.seed,
          experiment: b.experiment,
          runName: b.run_name,
          sliceBy: b.slice_by,
          permutationImportance: b.permutation_importance,
        });
        if (!req.query.wait) {
          reply.code(202);
          return { job: presentTrainingJob(job) };
        }
        // The job's own record says how it ended; a failed fit is a failed job, not a failed request.
        await training.wait(req.ctx, job.id).catch(() => undefined);
        return { job: presentTrainingJob(training.job(req.ctx, job.id)) };
      },
    );

    app.get(
      '/training/jobs',
      {
        schema: {
          tags,
          summary: 'Training jobs of this server, newest first',
          response: { 200: TrainingJobListResponse },
        },
      },
      async (req) => ({ jobs: training.listJobs(req.ctx).map(presentTrainingJob) }),
    );

    app.get(
      '/training/jobs/:id',
      {
        schema: {
          tags,
          summary: 'A training job: status, progress, result',
          params: TrainingJobParams,
          response: { 200: TrainingJobResponse, ...errors },
        },
      },
      async (req) => ({ job: presentTrainingJob(training.job(req.ctx, req.params.id)) }),
    );

    app.post(
      '/training/jobs/:id/cancel',
      {
        schema: {
          tags,
          summary: 'Stop a running training job',
          params: TrainingJobParams,
          response: { 200: TrainingJobResponse, ...errors },
        },
      },
      async (req) => ({ job: presentTrainingJob(training.cancel(req.ctx, req.params.id)) }),
    );

    app.post(
      '/runs/:run_id/model/evaluate',
      {
        schema: {
          tags,
          summary:
            "Score a run's model bundle (trained here, or uploaded as the run's model/ artifacts: ONNX too) on a dataset version",
          params: RunIdParams,
          body: EvaluateRunRequest,
          response: { 200: EvaluateRunResponse, ...errors },
        },
      },
      async (req) => {
        const e = await training.evaluateRun(req.ctx, req.params.run_id, req.body.data, req.body.slice_by);
        return {
          run_id: req.params.run_id,
          dataset: e.dataset,
          version: e.version,
          rows: e.rows,
          dropped_missing_target: e.droppedMissingTarget,
          metrics: e.metrics,
          evaluation: e.evaluation,
          slices: e.slices,
        };
      },
    );

    app.post(
      '/runs/:run_id/model/predict',
      {
        schema: {
          tags,
          summary: "Predict rows with a training run's model bundle (its transform applied first)",
          params: RunIdParams,
          body: PredictRowsRequest,
          response: { 200: PredictRowsResponse, ...errors },
        },
      },
      async (req) => {
        const bundle = await bundles.load(req.ctx, req.params.run_id);
        return { predictions: await bundle.predictRows(req.body.rows) };
      },
    );
  };
}
