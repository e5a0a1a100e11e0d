import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { UsageError } from './usage-error.js';

/** A config file the user wrote: YAML or JSON (YAML 1.2 reads JSON too). */
export async function readConfigFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') throw new UsageError(`config file not found: ${file}`);
    throw err;
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new UsageError(`${file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}
