import type {
  CreateExperimentRequest,
  Experiment,
  ExperimentListResponse,
  SearchExperimentsQuery,
} from '../contracts/index.js';
import { API_PREFIX } from '../contracts/index.js';
import type { HttpClient } from './http.js';
import { paginate } from './paginate.js';

const BASE = `${API_PREFIX}/experiments`;

export type CreateExperimentOptions = Omit<CreateExperimentRequest, 'name'>;

/** `client.experiments`: experiments of the client's project. */
export class ExperimentsApi {
  constructor(private readonly http: HttpClient) {}

  async create(name: string, options: CreateExperimentOptions = {}): Promise<Experiment> {
    const res = await this.http.json<{ experiment: Experiment }>('POST', BASE, {
      body: { ...options, name },
    });
    return res.experiment;
  }

  async get(experimentId: string): Promise<Experiment> {
    const res = await this.http.json<{ experiment: Experiment }>('GET', `${BASE}/${enc(experimentId)}`);
    return res.experiment;
  }

  async getByName(name: string): Promise<Experiment> {
    const res = await this.http.json<{ experiment: Experiment }>('GET', `${BASE}/by-name/${enc(name)}`);
    return res.experiment;
  }

  /** One page; pass `next_page_token` back as `page_token` for the next one. */
  list(query: SearchExperimentsQuery = {}): Promise<ExperimentListResponse> {
    return this.http.json<ExperimentListResponse>('GET', BASE, { query });
  }

  /** Every matching experiment, fetching the pages lazily as the loop goes on. */
  listAll(
    query: Omit<SearchExperimentsQuery, 'page_token'> = {},
  ): AsyncGenerator<Experiment, void, undefined> {
    return paginate(async (pageToken) => {
      const page = await this.list({ ...query, page_token: pageToken });
      return { items: page.experiments, next: page.next_page_token };
    });
  }

  async rename(experimentId: string, newName: string): Promise<Experiment> {
    const res = await this.http.json<{ experiment: Experiment }>('PATCH', `${BASE}/${enc(experimentId)}`, {
      body: { new_name: newName },
    });
    return res.experiment;
  }

  async delete(experimentId: string): Promise<void> {
    await this.http.json('DELETE', `${BASE}/${enc(experimentId)}`);
  }

  async restore(experimentId: string): Promise<void> {
    await this.http.json('POST', `${BASE}/${enc(experimentId)}/restore`);
  }

  async setTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.http.json('PUT', `${BASE}/${enc(experimentId)}/tags`, { query: { key }, body: { value } });
  }

  async deleteTag(experimentId: string, key: string): Promise<void> {
    await this.http.json('DELETE', `${BASE}/${enc(experimentId)}/tags`, { query: { key } });
  }
}

const enc = encodeURIComponent;
