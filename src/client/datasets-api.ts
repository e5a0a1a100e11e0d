import type {
  Dataset,
  DatasetDiffResponse,
  DatasetListResponse,
  DatasetProfileResponse,
  DatasetVersion,
  DatasetVersionListResponse,
  IngestResponse,
  QueryIngestBody,
  SaveRulesRequest,
  SchemaContract,
  SearchDatasetsQuery,
  SetContractBody,
  SplitRequest,
  SplitResponse,
  StoredValidationReport,
  TableFormat,
  TableProfile,
  ValidateRequest,
  ValidateResponse,
  ValidationListResponse,
} from '../contracts/index.js';
import { API_PREFIX } from '../contracts/index.js';
import type { HttpClient } from './http.js';
import { paginate } from './paginate.js';

const BASE = `${API_PREFIX}/datasets`;

/** The raw file to ingest; a ReadableStream is sent without buffering it. */
export type DatasetBody = Blob | ArrayBuffer | Uint8Array | ReadableStream<Uint8Array> | string;

/** How the server parses the uploaded file. */
export interface IngestOptions {
  format: TableFormat;
  /** The original file name, kept as the version's source. */
  fileName?: string;
  /** CSV/TSV: whether the first line names the columns (the server's default when omitted). */
  header?: boolean;
  /** CSV/TSV: one character. */
  delimiter?: string;
  /** CSV/TSV: one character. */
  quote?: string;
  /** Text formats: e.g. `utf-8`, `latin1`. */
  encoding?: string;
  /** The dataset's description, set when the ingest creates the dataset. */
  description?: string;
}

/** `client.datasets`: versioned tables, ingested from raw files. */
export class DatasetsApi {
  constructor(private readonly http: HttpClient) {}

  /**
   * Uploads a file as the next version of dataset `name` (created if new). Identical content returns
   * the existing version with `created: false`.
   */
  async ingest(name: string, body: DatasetBody, options: IngestOptions): Promise<IngestResponse> {
    const res = await this.http.send('POST', `${datasetPath(name)}/versions`, {
      query: {
        format: options.format,
        file_name: options.fileName,
        header: options.header,
        delimiter: options.delimiter,
        quote: options.quote,
        encoding: options.encoding,
        description: options.description,
      },
      // Uint8Array<SharedArrayBuffer> is not a BodyInit to TypeScript, but fetch sends any Uint8Array.
      body: body as BodyInit,
      headers: { 'content-type': 'application/octet-stream' },
      timeout: 'none',
    });
    return (await res.json()) as IngestResponse;
  }

  /**
   * Runs a SELECT against a Postgres server (the server connects to it: the URL is as the CyclOps server
   * reaches it) and ingests the result as the next version. The password is never stored.
   */
  async ingestQuery(name: string, body: QueryIngestBody): Promise<IngestResponse> {
    return this.http.json<IngestResponse>('POST', `${datasetPath(name)}/versions/from-query`, {
      body,
      timeout: 'none',
    });
  }

  /**
   * Splits a version into train/(validation/)test versions of `{into}-train` etc. (`into` defaults to
   * the dataset's name), deterministically: the same spec and seed give the same rows.
   */
  async split(name: string, version: number, request: SplitRequest): Promise<SplitResponse> {
    return this.http.json<SplitResponse>('POST', `${versionPath(name, version)}/split`, {
      body: request,
      timeout: 'none',
    });
  }

  /** Schema, row-count and statistics changes (with PSI) from version `from` to version `to`. */
  async diff(name: string, from: number, to: number): Promise<DatasetDiffResponse['diff']> {
    return (
      await this.http.json<DatasetDiffResponse>('GET', `${datasetPath(name)}/diff`, { query: { from, to } })
    ).diff;
  }

  /**
   * Validates a version with `rules` (or a rules file's text as `document`), or with the dataset's saved
   * rules when neither is given. The report is stored with the version and returned.
   */
  async validate(
    name: string,
    version: number,
    request: ValidateRequest = {},
  ): Promise<StoredValidationReport> {
    return (
      await this.http.json<ValidateResponse>('POST', `${versionPath(name, version)}/validations`, {
        body: request,
        timeout: 'none',
      })
    ).validation;
  }

  /** The stored validation reports of a version, newest first. */
  async validations(name: string, version: number): Promise<StoredValidationReport[]> {
    return (await this.http.json<ValidationListResponse>('GET', `${versionPath(name, version)}/validations`))
      .validations;
  }

  /** Saves rules (or a rules file's text) that every new version of the dataset is validated with. */
  async saveRules(name: string, request: SaveRulesRequest): Promise<void> {
    await this.http.json('PUT', `${datasetPath(name)}/validation-rules`, { body: request });
  }

  async clearRules(name: string): Promise<void> {
    await this.http.send('DELETE', `${datasetPath(name)}/validation-rules`);
  }

  /** Declares the schema contract (and target column) new versions are checked against. */
  async setContract(name: string, body: SetContractBody): Promise<SchemaContract> {
    return (
      await this.http.json<{ contract: SchemaContract }>('PUT', `${datasetPath(name)}/contract`, { body })
    ).contract;
  }

  async clearContract(name: string): Promise<void> {
    await this.http.send('DELETE', `${datasetPath(name)}/contract`);
  }

  /** One page; pass `next_page_token` back as `page_token` for the next one. */
  list(query: SearchDatasetsQuery = {}): Promise<DatasetListResponse> {
    return this.http.json<DatasetListResponse>('GET', BASE, { query: { ...query } });
  }

  /** Every matching dataset, fetching the pages lazily as the loop goes on. */
  listAll(query: Omit<SearchDatasetsQuery, 'page_token'> = {}): AsyncGenerator<Dataset, void, undefined> {
    return paginate(async (pageToken) => {
      const page = await this.list({ ...query, page_token: pageToken });
      return { items: page.datasets, next: page.next_page_token };
    });
  }

  async get(name: string): Promise<Dataset> {
    return (await this.http.json<{ dataset: Dataset }>('GET', datasetPath(name))).dataset;
  }

  /** Every version of the dataset, oldest first. */
  async versions(name: string): Promise<DatasetVersion[]> {
    return (await this.http.json<DatasetVersionListResponse>('GET', `${datasetPath(name)}/versions`))
      .versions;
  }

  async version(name: string, version: number): Promise<DatasetVersion> {
    return (await this.http.json<{ version: DatasetVersion }>('GET', versionPath(name, version))).version;
  }

  /** The profile computed at ingest: per-column statistics, histograms, top values, correlations. */
  async profile(name: string, version: number): Promise<TableProfile> {
    return (await this.http.json<DatasetProfileResponse>('GET', `${versionPath(name, version)}/profile`))
      .profile;
  }

  /** The version as Parquet: read it as `.arrayBuffer()` or stream `.body`. */
  downloadParquet(name: string, version: number): Promise<Response> {
    return this.http.send('GET', `${versionPath(name, version)}/parquet`);
  }
}

function datasetPath(name: string): string {
  return `${BASE}/${encodeURIComponent(name)}`;
}

function versionPath(name: string, version: number): string {
  return `${datasetPath(name)}/versions/${encodeURIComponent(String(version))}`;
}
