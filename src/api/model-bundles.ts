import type { RequestContext } from '../core/index.js';
import type { LoadedBundle, TrainingService } from '../training/index.js';

/** Bundles loaded recently, by run: a model is parsed once, not per request. */
const CACHE_SIZE = 16;

/** Loads the model bundles that training runs hold in their artifacts, keeping the last few loaded. */
export class RunBundles {
  private readonly cache = new Map<string, Promise<LoadedBundle>>();

  constructor(private readonly training: TrainingService) {}

  load(ctx: RequestContext, runId: string): Promise<LoadedBundle> {
    const key = `${ctx.projectId}/${runId}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const loading = this.training.loadRunBundle(ctx, runId);
    this.cache.set(key, loading);
    loading.catch(() => this.cache.delete(key));
    for (const [k, bundle] of this.cache) {
      if (this.cache.size <= CACHE_SIZE) break;
      this.cache.delete(k);
      void bundle.then((b) => b.close()).catch(() => undefined);
    }
    return loading;
  }
}
