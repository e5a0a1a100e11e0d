import { invalid } from '../../../core/index.js';
import { createRandom, type Random } from '../random.js';
import { isActive, type Params, type SearchSpace } from '../space.js';
import { numericDomain } from './numeric-domain.js';
import type { Sampler } from './sampler.js';

export interface RandomSamplerOptions {
  seed?: number;
}

/** Independent uniform draws (log-uniform for log parameters), conditional parameters only where active. */
export function drawRandomParams(space: SearchSpace, rng: Random): Params {
  const params: Params = {};
  for (const spec of space.params) {
    if (!isActive(spec, params)) continue;
    if (spec.type === 'categorical') {
      params[spec.name] = spec.choices[rng.int(spec.choices.length)]!;
    } else {
      const d = numericDomain(spec);
      params[spec.name] = d.fromInternal(d.low + rng.next() * (d.high - d.low));
    }
  }
  return params;
}

/** Trial n's parameters depend only on (seed, n): identical across resumptions and any concurrency. */
export function randomSampler(options: RandomSamplerOptions = {}): Sampler {
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw invalid(`random sampler seed must be an integer, got ${seed}`);
  return {
    name: 'random',
    sample: ({ space, trialNumber }) => drawRandomParams(space, createRandom(seed, trialNumber)),
  };
}
