#!/usr/bin/env node
// Compiles each src/**/wasm/*.wat into a sibling *.wasm.ts that holds the module as base64, so the
// package needs no build step for it and works from source and from dist alike.
//   node scripts/build-wasm.mjs          write the .wasm.ts files
//   node scripts/build-wasm.mjs --check  exit 1 if one is missing or stale (run by a test)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

function* watFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* watFiles(path);
    else if (entry.name.endsWith('.wat')) yield path;
  }
}

const wabt = await wabtInit();
let stale = 0;
for (const wat of watFiles(join(root, 'src'))) {
  const module = wabt.parseWat(wat, readFileSync(wat, 'utf8'), { threads: true, bulk_memory: true });
  const { buffer } = module.toBinary({});
  module.destroy();
  // Node's own validator: wabt's rejects shared memories whatever features it is given.
  if (!WebAssembly.validate(buffer)) throw new Error(`${wat}: not a valid WebAssembly module`);
  const out = wat.replace(/\.wat$/, '.wasm.ts');
  const name = relative(root, wat);
  const text = `// Generated from ${name.split('/').pop()} by scripts/build-wasm.mjs (npm run build:wasm): do not edit.
export const WASM_BASE64 =
  '${Buffer.from(buffer).toString('base64')}';
`;
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {}
  if (current === text) continue;
  if (check) {
    console.error(`${relative(root, out)} is not up to date with ${name}: run npm run build:wasm`);
    stale++;
  } else {
    writeFileSync(out, text);
    console.log(`wrote ${relative(root, out)} (${buffer.length} bytes of WebAssembly)`);
  }
}
process.exit(stale ? 1 : 0);
