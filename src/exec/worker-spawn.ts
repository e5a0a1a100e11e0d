import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a thread running the module `entry` (a `.js` URL beside the caller's module). From the
 * compiled package that is plain JS. When the caller is TypeScript (tests, `node --import tsx`: pass
 * `import.meta.url` as `caller`), the thread runs the `.ts` file beside it and registers tsx first so
 * it and what it imports can be .ts too: `execArgv: ['--import', 'tsx']` does not do it, because tsx's
 * loader only registers its hooks on the main thread, so the worker calls tsx's `register()` API itself.
 */
export function spawnWorker(entryJs: URL, caller: string): Worker {
  if (!caller.endsWith('.ts')) return new Worker(entryJs);
  const entry = entryJs.href.replace(/\.js$/, '.ts');
  const bootstrap =
    `import(${JSON.stringify(tsxApiUrl())})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}

let cachedTsxApiUrl: string | undefined;

/** The ESM build of `tsx/esm/api`, found from tsx's own exports map (its CJS build fails under eval). */
function tsxApiUrl(): string {
  if (cachedTsxApiUrl !== undefined) return cachedTsxApiUrl;
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = require(pkgPath) as { exports: Record<string, { import?: { default?: string } }> };
  const target = pkg.exports['./esm/api']?.import?.default;
  if (target === undefined) throw new Error(`tsx at ${pkgPath} does not export ./esm/api for import`);
  cachedTsxApiUrl = new URL(target, pathToFileURL(pkgPath)).href;
  return cachedTsxApiUrl;
}
