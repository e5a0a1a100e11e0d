import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  CreateExperimentRequest,
  Empty,
  ErrorBody,
  ExperimentIdParams,
  ExperimentListResponse,
  ExperimentName,
  ExperimentResponse,
  SearchExperimentsQuery,
  SetTagRequest,
  TagKeyQuery,
  UpdateExperimentRequest,
} from '../../contracts/index.js';
import type { ExperimentService } from '../../tracking/index.js';
import { presentExperiment, withToken } from '../presenters.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['experiments'];

export function experimentRoutes(experiments: ExperimentService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/experiments',
      {
        schema: {
          tags,
          summary: 'Create an experiment',
          body: CreateExperimentRequest,
          response: { 200: ExperimentResponse, ...errors },
        },
      },
      async (req) => {
        const { name, artifact_location, tags: t } = req.body;
        const e = await experiments.create(req.ctx, { name, artifactLocation: artifact_location, tags: t });
        return { experiment: presentExperiment(e) };
      },
    );

    app.get(
      '/experiments',
      {
        schema: {
          tags,
          summary: 'List or search experiments',
          querystring: SearchExperimentsQuery,
          response: { 200: ExperimentListResponse, ...errors },
        },
      },
      async (req) => {
        const q = req.query;
        const page = await experiments.search(req.ctx, {
          view: q.view_type,
          nameLike: q.name_like,
          maxResults: q.max_results,
          pageToken: q.page_token,
        });
        return withToken({ experiments: page.items.map(presentExperiment) }, page.nextPageToken);
      },
    );

    app.get(
      '/experiments/by-name/:name',
      {
        schema: {
          tags,
          summary: 'Get an experiment by name',
          params: Type.Object({ name: ExperimentName }),
          response: { 200: ExperimentResponse, ...errors },
        },
      },
      async (req) => ({
        experiment: presentExperiment(await experiments.getByName(req.ctx, req.params.name)),
      }),
    );

    app.get(
      '/experiments/:experiment_id',
      {
        schema: {
          tags,
          summary: 'Get an experiment',
          params: ExperimentIdParams,
          response: { 200: ExperimentResponse, ...errors },
        },
      },
      async (req) => ({
        experiment: presentExperiment(await experiments.get(req.ctx, req.params.experiment_id)),
      }),
    );

    app.patch(
      '/experiments/:experiment_id',
      {
        schema: {
          tags,
          summary: 'Rename an experiment',
          params: ExperimentIdParams,
          body: UpdateExperimentRequest,
          response: { 200: ExperimentResponse, ...errors },
        },
      },
      async (req) => ({
        experiment: presentExperiment(
          await experiments.rename(req.ctx, req.params.experiment_id, req.body.new_name),
        ),
      }),
    );

    app.delete(
      '/experiments/:experiment_id',
      {
        schema: {
          tags,
          summary: 'Delete an experiment (soft; restorable)',
          params: ExperimentIdParams,
          response: { 200: Empty, ...errors },
        },
      },
      async (req) => {
        await experiments.delete(req.ctx, req.params.experiment_id);
        return {};
      },
    );

    app.post(
      '/experiments/:experiment_id/restore',
      {
        schema: {
          tags,
          summary: 'Restore a deleted experiment',
          params: ExperimentIdParams,
          response: { 200: Empty, ...errors },
        },
      },
      async (req) => {
        await experiments.restore(req.ctx, req.params.experiment_id);
        return {};
      },
    );

    app.put(
      '/experiments/:experiment_id/tags',
      {
        schema: {
          tags,
          summary: 'Set an experiment tag',
          params: ExperimentIdParams,
          querystring: TagKeyQuery,
          body: SetTagRequest,
          response: { 200: Empty, ...errors },
        },
      },
      async (req) => {
        await experiments.setTag(req.ctx, req.params.experiment_id, {
          key: req.query.key,
          value: req.body.value,
        });
        return {};
      },
    );

    app.delete(
      '/experiments/:experiment_id/tags',
      {
        schema: {
          tags,
          summary: 'Delete an experiment tag',
          params: ExperimentIdParams,
          querystring: TagKeyQuery,
          response: { 200: Empty, ...errors },
        },
      },
      async (req) => {
        await experiments.deleteTag(req.ctx, req.params.experiment_id, req.query.key);
        return {};
      },
    );
  };
}
