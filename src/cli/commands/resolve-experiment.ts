import { CyclopsApiError, type CyclopsClient, isCyclopsApiError } from '../../client/index.js';
import type { Experiment } from '../../contracts/index.js';

/** Users type either: a number is tried as an id first, then as a name (an experiment may be named '2024'). */
export async function resolveExperiment(client: CyclopsClient, idOrName: string): Promise<Experiment> {
  if (/^[0-9]{1,18}$/.test(idOrName)) {
    try {
      return await client.experiments.get(idOrName);
    } catch (err) {
      if (!isCyclopsApiError(err) || err.code !== 'not_found') throw err;
    }
  }
  try {
    return await client.experiments.getByName(idOrName);
  } catch (err) {
    if (isCyclopsApiError(err) && err.code === 'not_found') {
      throw new CyclopsApiError('not_found', `no experiment with id or name '${idOrName}'`, err.status, {
        experiment: idOrName,
      });
    }
    throw err;
  }
}
