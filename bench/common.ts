/** What the benches share: medians, rounding, the compiled package they run, the commit they measure. */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where buildDist compiles src/ for the benches' child processes (as users run the package). */
export const DIST = join(ROOT, '.bench-tmp', 'dist');

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}

export const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Compiles src/ with tsconfig.build.json into DIST. tsc emits even when another part of the tree has a
 * type error: the code under measurement is what runs.
 */
export function buildDist(): void {
  rmSync(DIST, { recursive: true, force: true });
  spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      DIST,
      '--declaration',
      'false',
      '--sourceMap',
      'false',
    ],
    { cwd: ROOT, stdio: 'ignore' },
  );
}

/** The commit measured, and whether src/ has changes on top of it. */
export function gitState(): { commit: string; dirty: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return {
    commit: git('rev-parse', '--short', 'HEAD').trim(),
    dirty: git('status', '--porcelain', '--', 'src') !== '',
  };
}
