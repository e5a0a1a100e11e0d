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
  SaveRulesRequest,
  SetContractBody,
  SplitRequest,
  SplitResponse,
  ValidateRequest,
  ValidateResponse,
  ValidationListResponse,
  type ValidationRule,
} from '../../contracts/index.js';
import { invalid } from '../../core/index.js';
import { type DatasetService, parseRulesDocument } from '../../data/index.js';
import { presentContract, presentDatasetVersion, presentReport } from '../presenters.js';

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
      '/datasets/:name/validation-rules',
      {
        schema: {
          tags,
          summary: 'Save the validation rules every new version is checked with',
          params: DatasetNameParams,
          body: SaveRulesRequest,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (req, reply) => {
        const rules = rulesOf(req.body);
        if (!rules) throw invalid('rules: give rules or a rules document', { field: 'rules' });
        await datasets.setRules(req.ctx, req.params.name, rules);
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/datasets/:name/validation-rules',
      {
        schema: {
          tags,
          summary: 'Drop the saved validation rules',
          params: DatasetNameParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (req, reply) => {
        await datasets.setRules(req.ctx, req.params.name, null);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/datasets/:name/versions/:version/validations',
      {
        schema: {
          tags,
          summary:
            "Validate a version with the given rules (or the dataset's saved ones); the report is stored",
          params: DatasetVersionParams,
          body: ValidateRequest,
          response: { 200: ValidateResponse, ...errors },
        },
      },
      async (req) => ({
        validation: presentReport(
          await datasets.validate(req.ctx, req.params.name, req.params.version, rulesOf(req.body)),
        ),
      }),
    );

    app.get(
      '/datasets/:name/versions/:version/validations',
      {
        schema: {
          tags,
          summary: 'The validation reports of a version, newest first',
          params: DatasetVersionParams,
          response: { 200: ValidationListResponse, ...errors },
        },
      },
      async (req) => ({
        validations: (await datasets.reports(req.ctx, req.params.name, req.params.version)).map(
          presentReport,
        ),
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

/** The rules of a request: given parsed, or as a rules file's text (parsed here, errors with lines). */
function rulesOf(body: SaveRulesRequest): ValidationRule[] | undefined {
  if (body.rules && body.document !== undefined) {
    throw invalid('document: give rules or a rules document, not both', { field: 'document' });
  }
  if (body.document !== undefined) return parseRulesDocument(body.document, body.file_name ?? 'rules').rules;
  return body.rules;
}
