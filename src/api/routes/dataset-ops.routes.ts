import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  ContractResponse,
  DatasetDiffQuery,
  DatasetDiffResponse,
  DatasetNameParams,
  DatasetVersionParams,
  ErrorBody,
  IngestResponse,
  QueryIngestBody,
  SetContractBody,
  SplitRequest,
  SplitResponse,
} from '../../contracts/index.js';
import type { DatasetService } from '../../data/index.js';
import { presentContract, presentDatasetVersion } from '../presenters.js';

const errors = { 400: ErrorBody, 404: ErrorBody };
const tags = ['datasets'];

/** Dataset operations with JSON bodies: query ingest, contracts, validation, splits, diffs. */
export function datasetOpsRoutes(datasets: DatasetService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/datasets/:name/versions/from-query',
      {
        schema: {
          tags,
          summary: 'Ingest the result of a SELECT on a Postgres server as the next version',
          params: DatasetNameParams,
          body: QueryIngestBody,
          response: { 200: IngestResponse, ...errors },
        },
      },
      async (req) => {
        const outcome = await datasets.ingestQuery(req.ctx, {
          datasetName: req.params.name,
          connection: req.body.connection,
          query: req.body.query,
          description: req.body.description,
        });
        return { created: outcome.created, version: presentDatasetVersion(outcome.version) };
      },
    );

    app.post(
      '/datasets/:name/versions/:version/split',
      {
        schema: {
          tags,
          summary:
            'Split a version into train/validation/test versions of {into}-train, {into}-validation, {into}-test',
          params: DatasetVersionParams,
          body: SplitRequest,
          response: { 200: SplitResponse, ...errors },
        },
      },
      async (req) => {
        const { name, version } = req.params;
        const out = await datasets.split(req.ctx, name, version, req.body.spec, req.body.into);
        return {
          parent: out.parent,
          spec: out.spec,
          splits: out.splits.map((s) => ({
            name: s.name,
            row_count: s.rowCount,
            version: presentDatasetVersion(s.outcome.version),
          })),
          dropped: {
            missing_time: out.dropped.missingTime,
            between_boundaries: out.dropped.betweenBoundaries,
          },
        };
      },
    );

    app.get(
      '/datasets/:name/diff',
      {
        schema: {
          tags,
          summary: 'Compare two versions: schema changes, row counts, per-column statistics and PSI',
          params: DatasetNameParams,
          querystring: DatasetDiffQuery,
          response: { 200: DatasetDiffResponse, ...errors },
        },
      },
      async (req) => ({
        dataset: req.params.name,
        diff: await datasets.diff(req.ctx, req.params.name, req.query.from, req.query.to),
      }),
    );

    app.put(
      '/datasets/:name/contract',
      {
        schema: {
          tags,
          summary: 'Declare the schema contract (and target column) new versions are checked against',
          params: DatasetNameParams,
          body: SetContractBody,
          response: { 200: ContractResponse, ...errors },
        },
      },
      async (req) => {
        const b = req.body;
        const contract = await datasets.setContract(req.ctx, req.params.name, {
          fromVersion: b.from_version,
          columns: b.columns,
          target: b.target,
          onViolation: b.on_violation,
        });
        return { contract: presentContract(contract) };
      },
    );

    app.delete(
      '/datasets/:name/contract',
      {
        schema: {
          tags,
          summary: 'Drop the schema contract',
          params: DatasetNameParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (req, reply) => {
        await datasets.clearContract(req.ctx, req.params.name);
        return reply.code(204).send(null);
      },
    );
  };
}
