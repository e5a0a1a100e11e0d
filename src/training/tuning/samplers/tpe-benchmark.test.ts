import { describe, expect, it } from 'vitest';
import type { Params } from '../space.js';
import { parseSearchSpace } from '../space-parse.js';
import { runStudy } from '../study.js';
import { InMemoryTrialStorage } from '../trial-storage.js';
import { randomSampler } from './random-sampler.js';
import type { Sampler } from './sampler.js';
import { tpeSampler } from './tpe-sampler.js';

// A 5-D shifted sphere over a uniform, a log-uniform, a log-int and an int parameter: the optimum (0) is
// at x = 1.3, y = -2.1, lr = 10^-2.5, leaves = 32, depth = 11.
const space = parseSearchSpace({
  x: { type: 'uniform', low: -5, high: 5 },
  y: { type: 'uniform', low: -5, high: 5 },
  lr: { type: 'log_uniform', low: 1e-5, high: 1 },
  leaves: { type: 'int', low: 2, high: 256, log: true },
  depth: { type: 'int', low: 1, high: 16 },
});

const sphere = (p: Params): number =>
  ((p.x as number) - 1.3) ** 2 +
  ((p.y as number) + 2.1) ** 2 +
  (Math.log10(p.lr as number) + 2.5) ** 2 +
  (Math.log2(p.leaves as number) - 5) ** 2 +
  (((p.depth as number) - 11) / 3) ** 2;

async function bestAfter(sampler: Sampler, nTrials: number): Promise<number> {
  const result = await runStudy({
    space,
    sampler,
    direction: 'minimize',
    nTrials,
    objective: async (params) => sphere(params),
    storage: new InMemoryTrialStorage(),
  });
  return result.best!.value;
}

describe('TPE against random search', () => {
  it('finds a better optimum of a 5-D shifted sphere on average over 10 seeds, 60 trials each', async () => {
    const tpe: number[] = [];
    const random: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      tpe.push(await bestAfter(tpeSampler({ seed }), 60));
      random.push(await bestAfter(randomSampler({ seed }), 60));
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    // At the time of writing: TPE 1.84 against random 4.67, TPE ahead on all 10 seeds. With l and g
    // swapped TPE scores 10.1, with candidates that ignore l about random's figure: both fail here.
    expect(mean(tpe)).toBeLessThan(0.6 * mean(random));
    expect(tpe.filter((v, i) => v < random[i]!).length).toBeGreaterThanOrEqual(8);
  });
});
