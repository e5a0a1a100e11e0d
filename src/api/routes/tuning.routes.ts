import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorBody,
  ListStudiesQuery,
  StartStudyRequest,
  StudyDetailResponse,
  StudyIdParams,
  StudyListResponse,
  StudyQuery,
  StudyResponse,
} from '../../contracts/index.js';
import type { StudyService } from '../../training/index.js';
import { withToken } from '../presenters.js';
import { presentStudy, presentTrial } from '../tuning-presenters.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['tuning'];

/** Hyperparameter tuning studies: started and resumed in the background, each trial a child run. */
export function tuningRoutes(studies: StudyService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/tuning/studies',
      {
        schema: {
          tags,
          summary: 'Start a tuning study (202; with wait=true the answer comes when it has ended)',
          body: StartStudyRequest,
          querystring: StudyQuery,
          response: { 200: StudyResponse, 202: StudyResponse, ...errors },
        },
      },
      async (req, reply) => {
        const study = await studies.start(req.ctx, req.body.config);
        if (!req.query.wait) {
          reply.code(202);
          return { study: presentStudy(study) };
        }
        return { study: presentStudy(await studies.wait(req.ctx, study.id)) };
      },
    );

    app.get(
      '/tuning/studies',
      {
        schema: {
          tags,
          summary: 'Tuning studies, newest first',
          querystring: ListStudiesQuery,
          response: { 200: StudyListResponse, 400: ErrorBody },
        },
      },
      async (req) => {
        const page = await studies.list(req.ctx, {
          status: req.query.status,
          maxResults: req.query.max_results,
          pageToken: req.query.page_token,
        });
        return withToken({ studies: page.items.map(presentStudy) }, page.nextPageToken);
      },
    );

    app.get(
      '/tuning/studies/:id',
      {
        schema: {
          tags,
          summary: 'A study with its trials',
          params: StudyIdParams,
          response: { 200: StudyDetailResponse, ...errors },
        },
      },
      async (req) => {
        const { trials, ...study } = await studies.get(req.ctx, req.params.id);
        return { study: presentStudy(study), trials: trials.map(presentTrial) };
      },
    );

    app.post(
      '/tuning/studies/:id/cancel',
      {
        schema: {
          tags,
          summary: 'Stop a running study',
          params: StudyIdParams,
          response: { 200: StudyResponse, ...errors },
        },
      },
      async (req) => ({ study: presentStudy(await studies.cancel(req.ctx, req.params.id)) }),
    );

    app.post(
      '/tuning/studies/:id/resume',
      {
        schema: {
          tags,
          summary:
            'Continue a study from its stored trials (cancelled, failed, or left running by a stopped server)',
          params: StudyIdParams,
          querystring: StudyQuery,
          response: { 200: StudyResponse, 202: StudyResponse, ...errors },
        },
      },
      async (req, reply) => {
        const study = await studies.resume(req.ctx, req.params.id);
        if (!req.query.wait) {
          reply.code(202);
          return { study: presentStudy(study) };
        }
        return { study: presentStudy(await studies.wait(req.ctx, study.id)) };
      },
    );
  };
}
