import type {
  AlgorithmWire,
  EvaluateRunRequest,
  EvaluateRunResponse,
  PredictRowsResponse,
  TrainingJobWire,
  TrainRequest,
  TrainResultWire,
} from '../contracts/index.js';
import { API_PREFIX } from '../contracts/index.js';
import { CyclopsApiError } from './errors.js';
import type { HttpClient } from './http.js';

const BASE = `${API_PREFIX}/training`;

export interface WaitOptions {
  /** Called with the job each time it is polled (a progress bar). */
  onProgress?: (job: TrainingJobWire) => void;
  /** Between polls; default 500 ms. */
  intervalMs?: number;
  signal?: AbortSignal;
}

/** `client.training`: train built-in models on dataset versions, follow the jobs, predict with a run's bundle. */
export class TrainingApi {
  constructor(private readonly http: HttpClient) {}

  async algorithms(): Promise<AlgorithmWire[]> {
    return (await this.http.json<{ algorithms: AlgorithmWire[] }>('GET', `${BASE}/algorithms`)).algorithms;
  }

  /**
   * Starts training: resolves once the server has loaded and checked the data and started the run
   * (bad input rejects here), while the fit goes on in the background.
   */
  async start(request: TrainRequest): Promise<TrainingJobWire> {
    return (
      await this.http.json<{ job: TrainingJobWire }>('POST', `${BASE}/jobs`, {
        body: request,
        timeout: 'none',
      })
    ).job;
  }

  async job(id: string): Promise<TrainingJobWire> {
    return (await this.http.json<{ job: TrainingJobWire }>('GET', `${BASE}/jobs/${id}`)).job;
  }

  async jobs(): Promise<TrainingJobWire[]> {
    return (await this.http.json<{ jobs: TrainingJobWire[] }>('GET', `${BASE}/jobs`)).jobs;
  }

  async cancel(id: string): Promise<TrainingJobWire> {
    return (await this.http.json<{ job: TrainingJobWire }>('POST', `${BASE}/jobs/${id}/cancel`)).job;
  }

  /** Polls a job until it ends; resolves with the finished job, rejects with the job's error otherwise. */
  async wait(id: string, options: WaitOptions = {}): Promise<TrainingJobWire> {
    for (;;) {
      const job = await this.job(id);
      options.onProgress?.(job);
      if (job.status === 'finished') return job;
      if (job.status !== 'running') {
        const error = job.error ?? { code: 'internal', message: `training ${job.status}` };
        throw new CyclopsApiError(error.code, `training ${job.status}: ${error.message}`, 200, {
          run_id: job.run_id,
        });
      }
      await sleep(options.intervalMs ?? 500, options.signal);
    }
  }

  /** Starts training and waits for the result. */
  async train(request: TrainRequest, options: WaitOptions = {}): Promise<TrainResultWire> {
    const job = await this.start(request);
    return (await this.wait(job.id, options)).result as TrainResultWire;
  }

  /** Scores a run's model bundle (built-in or ONNX) on a dataset version with the whole KPI set. */
  evaluate(runId: string, request: EvaluateRunRequest): Promise<EvaluateRunResponse> {
    return this.http.json<EvaluateRunResponse>('POST', `${API_PREFIX}/runs/${runId}/model/evaluate`, {
      body: request,
      timeout: 'none',
    });
  }

  /** Predicts rows (the bundle's input columns) with a training run's model bundle. */
  async predict(runId: string, rows: Record<string, unknown>[]): Promise<PredictRowsResponse['predictions']> {
    return (
      await this.http.json<PredictRowsResponse>('POST', `${API_PREFIX}/runs/${runId}/model/predict`, {
        body: { rows },
      })
    ).predictions;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
