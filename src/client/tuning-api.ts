import type { StudyDetailResponse, StudyListResponse, StudyWire } from '../contracts/index.js';
import { API_PREFIX } from '../contracts/index.js';
import { CyclopsApiError } from './errors.js';
import type { HttpClient } from './http.js';
import { paginate } from './paginate.js';

const BASE = `${API_PREFIX}/tuning/studies`;

/** `client.tuning`: hyperparameter tuning studies (each trial a child run of the study's run). */
export class TuningApi {
  constructor(private readonly http: HttpClient) {}

  /** Starts a study from its config (the tune.yaml object); resolves once it has started. */
  async start(config: unknown): Promise<StudyWire> {
    return (await this.http.json<{ study: StudyWire }>('POST', BASE, { body: { config } })).study;
  }

  get(id: number): Promise<StudyDetailResponse> {
    return this.http.json<StudyDetailResponse>('GET', `${BASE}/${id}`);
  }

  list(
    query: { status?: StudyWire['status']; max_results?: number; page_token?: string } = {},
  ): Promise<StudyListResponse> {
    return this.http.json<StudyListResponse>('GET', BASE, { query: { ...query } });
  }

  listAll(query: { status?: StudyWire['status'] } = {}): AsyncGenerator<StudyWire, void, undefined> {
    return paginate(async (pageToken) => {
      const page = await this.list({ ...query, page_token: pageToken });
      return { items: page.studies, next: page.next_page_token };
    });
  }

  async cancel(id: number): Promise<StudyWire> {
    return (await this.http.json<{ study: StudyWire }>('POST', `${BASE}/${id}/cancel`)).study;
  }

  async resume(id: number): Promise<StudyWire> {
    return (await this.http.json<{ study: StudyWire }>('POST', `${BASE}/${id}/resume`)).study;
  }

  /**
   * Polls a study until it ends; resolves with its last state when it finished, rejects otherwise.
   * `onProgress` sees each poll (trials done, best so far).
   */
  async wait(
    id: number,
    options: { onProgress?: (s: StudyWire) => void; intervalMs?: number } = {},
  ): Promise<StudyDetailResponse> {
    for (;;) {
      const detail = await this.get(id);
      options.onProgress?.(detail.study);
      if (detail.study.status === 'finished') return detail;
      if (detail.study.status !== 'running') {
        throw new CyclopsApiError(
          detail.study.status === 'cancelled' ? 'unavailable' : 'internal',
          `study ${id} ${detail.study.status}${detail.study.error ? `: ${detail.study.error}` : ''}`,
          200,
          { study: id },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
    }
  }
}
