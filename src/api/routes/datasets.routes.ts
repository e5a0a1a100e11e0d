import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  DatasetListResponse,
  DatasetNameParams,
  DatasetProfileResponse,
  DatasetResponse,
  DatasetVersionListResponse,
  DatasetVersionParams,
  DatasetVersionResponse,
  ErrorBody,
  IngestQuery,
  IngestResponse,
  SearchDatasetsQuery,
} from '../../contracts/index.js';
import { invalid } from '../../core/index.js';
import type { DatasetService } from '../../data/index.js';
import { presentDataset, presentDatasetVersion, presentProfile, withToken } from '../presenters.js';

const errors = { 400: ErrorBody, 404: ErrorBody };
const tags = ['datasets'];

/** Datasets: uploads stream to the service (never buffered whole), snapshots stream back out. */
export function datasetRoutes(datasets: DatasetService, maxBytes: number): FastifyPluginAsyncTypebox {
  return async (app) => {
    // The body is the raw file whatever its declared type (a .json upload is data, not a request).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    app.post(
      '/datasets/:name/versions',
      {
        // The service enforces maxBytes while streaming, with a message naming the setting.
        bodyLimit: Number.MAX_SAFE_INTEGER,
        schema: {
          tags,
          summary: 'Ingest a file (raw body) as a new version; identical content returns the existing one',
          params: DatasetNameParams,
          querystring: IngestQuery,
          response: { 200: IngestResponse, ...errors, 413: ErrorBody },
        },
      },
      async (req) => {
        const body = req.body as Readable | undefined;
        if (!body || typeof body.pipe !== 'function')
          throw invalid('body: the upload needs the file as the request body', { field: 'body' });
        const q = req.query;
        const outcome = await datasets.ingest(req.ctx, {
          datasetName: req.params.name,
          body,
          format: q.format,
          fileName: q.file_name,
          header: q.header,
          delimiter: q.delimiter,
          quote: q.quote,
          encoding: q.encoding,
          description: q.description,
          maxBytes,
        });
        return { created: outcome.created, version: presentDatasetVersion(outcome.version) };
      },
    );

    app.get(
      '/datasets',
      {
        schema: {
          tags,
          summary: 'List datasets',
          querystring: SearchDatasetsQuery,
          response: { 200: DatasetListResponse, 400: ErrorBody },
        },
      },
      async (req) => {
        const page = await datasets.list(req.ctx, {
          nameLike: req.query.name_like,
          maxResults: req.query.max_results,
          pageToken: req.query.page_token,
        });
        return withToken({ datasets: page.items.map(presentDataset) }, page.nextPageToken);
      },
    );

    app.get(
      '/datasets/:name',
      {
        schema: {
          tags,
          summary: 'Get a dataset with its version count and latest version',
          params: DatasetNameParams,
          response: { 200: DatasetResponse, ...errors },
        },
      },
      async (req) => ({ dataset: presentDataset(await datasets.get(req.ctx, req.params.name)) }),
    );

    app.get(
      '/datasets/:name/versions',
      {
        schema: {
          tags,
          summary: 'List the versions of a dataset, oldest first',
          params: DatasetNameParams,
          response: { 200: DatasetVersionListResponse, ...errors },
        },
      },
      async (req) => ({
        versions: (await datasets.versions(req.ctx, req.params.name)).map(presentDatasetVersion),
      }),
    );

    app.get(
      '/datasets/:name/versions/:version',
      {
        schema: {
          tags,
          summary: 'Get one version of a dataset',
          params: DatasetVersionParams,
          response: { 200: DatasetVersionResponse, ...errors },
        },
      },
      async (req) => ({
        version: presentDatasetVersion(await datasets.version(req.ctx, req.params.name, req.params.version)),
      }),
    );

    app.get(
      '/datasets/:name/versions/:version/profile',
      {
        schema: {
          tags,
          summary: 'Get the profile (summary statistics) computed when the version was ingested',
          params: DatasetVersionParams,
          response: { 200: DatasetProfileResponse, ...errors },
        },
      },
      async (req) => ({
        profile: presentProfile(await datasets.profile(req.ctx, req.params.name, req.params.version)),
      }),
    );

    app.get(
      '/datasets/:name/versions/:version/parquet',
      {
        schema: {
          tags,
          summary: 'Download the Parquet snapshot of a version',
          params: DatasetVersionParams,
        },
      },
      async (req, reply) => {
        const { name, version } = req.params;
        const stream = await datasets.openParquet(req.ctx, name, version);
        return reply
          .type('application/vnd.apache.parquet')
          .header('content-disposition', `attachment; filename="${name}-v${version}.parquet"`)
          .send(stream);
      },
    );
  };
}
