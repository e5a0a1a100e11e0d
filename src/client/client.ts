import { AuditApi } from './audit-api.js';
import { DatasetsApi } from './datasets-api.js';
import { ExperimentsApi } from './experiments-api.js';
import { FeaturesApi } from './features-api.js';
import { type ClientOptions, HttpClient } from './http.js';
import { RunsApi } from './runs-api.js';
import { TrainingApi } from './training-api.js';
import { TuningApi } from './tuning-api.js';

export interface Health {
  status: 'ok';
  store: 'pglite' | 'postgres';
  version: string;
}

/**
 * The CyclOps SDK: typed calls over the REST API, with fetch only, so it runs in Node and in browsers.
 *
 *     const client = new CyclopsClient({ url: 'http://127.0.0.1:5055', user: 'ada' });
 *     const exp = await client.experiments.create('churn');
 *     const run = await client.runs.create({ experiment_id: exp.experiment_id });
 */
export class CyclopsClient {
  readonly experiments: ExperimentsApi;
  readonly runs: RunsApi;
  readonly audit: AuditApi;
  readonly datasets: DatasetsApi;
  readonly features: FeaturesApi;
  readonly training: TrainingApi;
  readonly tuning: TuningApi;
  private readonly http: HttpClient;

  constructor(options: ClientOptions) {
    this.http = new HttpClient(options);
    this.experiments = new ExperimentsApi(this.http);
    this.runs = new RunsApi(this.http);
    this.audit = new AuditApi(this.http);
    this.datasets = new DatasetsApi(this.http);
    this.features = new FeaturesApi(this.http);
    this.training = new TrainingApi(this.http);
    this.tuning = new TuningApi(this.http);
  }

  /** The server's base URL, without a trailing slash. */
  get url(): string {
    return this.http.baseUrl;
  }

  health(): Promise<Health> {
    return this.http.json<Health>('GET', '/healthz');
  }
}
