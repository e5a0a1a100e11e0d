import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  ErrorBody,
  ListArtifactsResponse,
  RunIdParams,
  UploadArtifactResponse,
} from '../../contracts/index.js';
import { invalid, isRunId } from '../../core/index.js';
import type { RunService } from '../../tracking/index.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 413: ErrorBody };
const tags = ['artifacts'];

/** Run artifacts stream in and out: nothing is buffered whole, whatever its size. */
export function runArtifactRoutes(runs: RunService, maxBytes: number): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Uploads are raw bytes of any type; hand the request stream straight to the artifact store.
    app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    app.get(
      '/runs/:run_id/artifacts',
      {
        schema: {
          tags,
          summary: 'List the artifacts of a run (one directory level)',
          params: RunIdParams,
          querystring: Type.Object({ path: Type.Optional(Type.String({ maxLength: 1024 })) }),
          response: { 200: ListArtifactsResponse, ...errors },
        },
      },
      async (req) => {
        const listing = await runs.listArtifacts(req.ctx, req.params.run_id, req.query.path ?? '');
        return {
          root_uri: listing.rootUri,
          files: listing.files.map((f) =>
            f.isDir ? { path: f.path, is_dir: true } : { path: f.path, is_dir: false, file_size: f.size },
          ),
        };
      },
    );

    app.put(
      '/runs/:run_id/artifacts/*',
      {
        bodyLimit: Number.MAX_SAFE_INTEGER,
        schema: {
          tags,
          summary: 'Upload one artifact file (raw body)',
          response: { 200: UploadArtifactResponse, ...errors },
        },
      },
      async (req) => {
        const { runId, path } = artifactTarget(req.params);
        const body = req.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function')
          throw invalid('artifact upload needs a request body');
        const stored = await runs.uploadArtifact(req.ctx, runId, path, body, maxBytes);
        return { path: stored.path, file_size: stored.size, sha256: stored.sha256 };
      },
    );

    app.get(
      '/runs/:run_id/artifacts/*',
      { schema: { tags, summary: 'Download one artifact file' } },
      async (req, reply) => {
        const { runId, path } = artifactTarget(req.params);
        const stream = await runs.downloadArtifact(req.ctx, runId, path);
        return reply.type('application/octet-stream').send(stream);
      },
    );
  };
}

// Wildcard routes carry the path in params['*'], which a schema cannot name: check both by hand.
function artifactTarget(params: unknown): { runId: string; path: string } {
  const p = params as { run_id?: string; '*'?: string };
  const runId = p.run_id ?? '';
  if (!isRunId(runId))
    throw invalid(`params/run_id: '${runId.slice(0, 40)}' is not a run id`, { field: 'params/run_id' });
  const path = p['*'] ?? '';
  if (!path) throw invalid('params/path: the artifact path must not be empty', { field: 'params/path' });
  return { runId, path };
}
