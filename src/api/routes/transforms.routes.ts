import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ApplyRowsRequest,
  ApplyRowsResponse,
  ApplyTransformRequest,
  ErrorBody,
  FitTransformRequest,
  IngestResponse,
  ListTransformsQuery,
  TransformIdParams,
  TransformListResponse,
  TransformResponse,
} from '../../contracts/index.js';
import type { TransformService } from '../../features/index.js';
import { presentDatasetVersion, presentTransform, withToken } from '../presenters.js';

const errors = { 400: ErrorBody, 404: ErrorBody };
const tags = ['features'];

/** Feature transforms: fit on a dataset version, apply to a version (DuckDB) or to rows (TypeScript). */
export function transformRoutes(transforms: TransformService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/transforms',
      {
        schema: {
          tags,
          summary: 'Fit a transform config on a dataset version and store the fitted spec',
          body: FitTransformRequest,
          response: { 200: TransformResponse, ...errors },
        },
      },
      async (req) => ({ transform: presentTransform(await transforms.fit(req.ctx, req.body)) }),
    );

    app.get(
      '/transforms',
      {
        schema: {
          tags,
          summary: 'List fitted transforms, oldest first',
          querystring: ListTransformsQuery,
          response: { 200: TransformListResponse, 400: ErrorBody },
        },
      },
      async (req) => {
        const page = await transforms.list(req.ctx, {
          dataset: req.query.dataset,
          maxResults: req.query.max_results,
          pageToken: req.query.page_token,
        });
        return withToken({ transforms: page.items.map(presentTransform) }, page.nextPageToken);
      },
    );

    app.get(
      '/transforms/:id',
      {
        schema: {
          tags,
          summary: 'Get a transform with its config and fitted spec',
          params: TransformIdParams,
          response: { 200: TransformResponse, ...errors },
        },
      },
      async (req) => ({ transform: presentTransform(await transforms.get(req.ctx, req.params.id)) }),
    );

    app.post(
      '/transforms/:id/rows',
      {
        schema: {
          tags,
          summary: 'Transform rows with the TypeScript engine (as online serving does)',
          params: TransformIdParams,
          body: ApplyRowsRequest,
          response: { 200: ApplyRowsResponse, ...errors },
        },
      },
      async (req) => ({ rows: await transforms.applyRows(req.ctx, req.params.id, req.body.rows) }),
    );

    app.post(
      '/transforms/:id/apply',
      {
        schema: {
          tags,
          summary: 'Transform a dataset version in DuckDB; the result is a new version with lineage',
          params: TransformIdParams,
          body: ApplyTransformRequest,
          response: { 200: IngestResponse, ...errors },
        },
      },
      async (req) => {
        const outcome = await transforms.applyToVersion(req.ctx, req.params.id, req.body);
        return { created: outcome.created, version: presentDatasetVersion(outcome.version) };
      },
    );
  };
}
