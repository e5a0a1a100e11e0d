import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { MetricInput as WireMetric } from '../../contracts/index.js';
import {
  CreateRunRequest,
  Empty,
  ErrorBody,
  fromWireNumber,
  LogBatchRequest,
  Metric,
  MetricHistoryQuery,
  MetricHistoryResponse,
  Param,
  RunIdParams,
  RunResponse,
  SearchRunsRequest,
  SearchRunsResponse,
  SetTagRequest,
  TagKeyQuery,
  UpdateRunRequest,
} from '../../contracts/index.js';
import type { MetricInput, RunService } from '../../tracking/index.js';
import { metricHistoryJson } from '../metric-history-json.js';
import { presentRun, withToken } from '../presenters.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['runs'];

const toMetric = (m: WireMetric): MetricInput => ({
  key: m.key,
  value: fromWireNumber(m.value),
  timestamp: m.timestamp,
  step: m.step,
});

export function runRoutes(runs: RunService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/runs',
      {
        schema: {
          tags,
          summary: 'Create a run',
          body: CreateRunRequest,
          response: { 200: RunResponse, ...errors },
        },
      },
      async (req) => {
        const b = req.body;
        const run = await runs.create(req.ctx, {
          experimentId: b.experiment_id,
          name: b.run_name,
          startTime: b.start_time,
          tags: b.tags,
        });
        return { run: presentRun(run) };
      },
    );

    app.post(
      '/runs/search',
      {
        schema: {
          tags,
          summary: 'Search runs with the MLflow filter language',
          body: SearchRunsRequest,
          response: { 200: SearchRunsResponse, ...errors },
        },
      },
      async (req) => {
        const b = req.body;
        const page = await runs.search(req.ctx, {
          experimentIds: b.experiment_ids,
          filter: b.filter,
          orderBy: b.order_by,
          view: b.run_view_type,
          maxResults: b.max_results,
          pageToken: b.page_token,
        });
        return withToken({ runs: page.items.map(presentRun) }, page.nextPageToken);
      },
    );

    app.get(
      '/runs/:run_id',
      {
        schema: {
          tags,
          summary: 'Get a run with its latest metrics, params and tags',
          params: RunIdParams,
          response: { 200: RunResponse, ...errors },
        },
      },
      async (req) => ({ run: presentRun(await runs.get(req.ctx, req.params.run_id)) }),
    );

    app.patch(
      '/runs/:run_id',
      {
        schema: {
          tags,
          summary: 'Update status, end time or name',
          params: RunIdParams,
          body: UpdateRunRequest,
          response: { 200: RunResponse, ...errors },
        },
      },
      async (req) => {
        const b = req.body;
        const run = await runs.update(req.ctx, req.params.run_id, {
          status: b.status,
          endTime: b.end_time,
          name: b.run_name,
        });
        return { run: presentRun(run) };
      },
    );

    app.delete(
      '/runs/:run_id',
      {
        schema: {
          tags,
          summary: 'Delete a run (soft; restorable)',
          params: RunIdParams,
          response: { 200: Empty, ...errors },
        },
      },
      async (req) => {
        await runs.delete(req.ctx, req.params.run_id);
        return {};
      },
    );

    app.post(
      '/runs/:run_id/restore',
      {
        schema: {
          tags,
          summary: 'Restore a deleted run',
          params: RunIdParams,
          response: { 200: Empty, ...errors },
        },
      },
      async (req) => {
        await runs.restore(req.ctx, req.params.run_id);
        return {};
      },
    );

    app.post(
      '/runs/:run_id/metrics',
      {
        schema: {
          tags,
          summary: 'Log one metric point',
          params: RunIdParams,
          body: Metric,
          response: { 200: Empty, ...errors },
        },
      },
      async (req) => {
        await runs.logMetric(req.ctx, req.params.run_id, toMetric(req.body));
        return {};
      },
    );

    app.post(
      '/runs/:run_id/params',
      {
        schema: {
          tags,
          summary: 'Log a param (write-once)',
          params: RunIdParams,
          body: Param,
          response: { 200: Empty, ...errors },
        },
      },
      async (req) => {
        await runs.logParam(req.ctx, req.params.run_id, req.body);
        return {};
      },
    );

    app.put(
      '/runs/:run_id/tags',
      {
        schema: {
          tags,
          summary: 'Set a run tag',
          params: RunIdParams,
          querystring: TagKeyQuery,
          body: SetTagRequest,
          response: { 200: Empty, ...errors },
        },
      },
      async (req) => {
        await runs.setTag(req.ctx, req.params.run_id, { key: req.query.key, value: req.body.value });
        return {};
      },
    );

    app.delete(
      '/runs/:run_id/tags',
      {
        schema: {
          tags,
          summary: 'Delete a run tag',
          params: RunIdParams,
          querystring: TagKeyQuery,
          response: { 200: Empty, ...errors },
        },
      },
      async (req) => {
        await runs.deleteTag(req.ctx, req.params.run_id, req.query.key);
        return {};
      },
    );

    app.post(
      '/runs/:run_id/batch',
      {
        schema: {
          tags,
          summary: 'Log up to 1,000 metrics, 100 params and 100 tags, all or nothing',
          params: RunIdParams,
          body: LogBatchRequest,
          response: { 200: Empty, ...errors },
        },
      },
      async (req) => {
        const b = req.body;
        await runs.logBatch(req.ctx, req.params.run_id, {
          metrics: b.metrics?.map(toMetric),
          params: b.params,
          tags: b.tags,
        });
        return {};
      },
    );

    app.get(
      '/runs/:run_id/metrics/history',
      {
        schema: {
          tags,
          summary: 'Full history of one metric',
          params: RunIdParams,
          querystring: MetricHistoryQuery,
          response: { 200: MetricHistoryResponse, ...errors },
        },
      },
      async (req, reply) => {
        const page = await runs.metricHistory(req.ctx, req.params.run_id, req.query.key, {
          maxResults: req.query.max_results,
          pageToken: req.query.page_token,
        });
        const body = metricHistoryJson(page.series, page.nextPageToken);
        return reply.type('application/json; charset=utf-8').send(body as never);
      },
    );
  };
}
