import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  total: number;
}

/** One autocannon run: `connections` keep-alive clients, each with one request in flight. */
export async function load(opts: {
  url: string;
  method?: 'POST' | 'GET';
  body?: string;
  connections: number;
  durationSec?: number;
  amount?: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: opts.url,
    method: opts.method ?? 'POST',
    body: opts.body,
    connections: opts.connections,
    pipelining: 1,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.durationSec ?? 10 }),
    headers: { 'content-type': 'application/json', 'x-cyclops-user': 'bench', ...opts.headers },
  });
  return {
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  };
}
