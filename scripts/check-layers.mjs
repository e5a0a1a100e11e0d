#!/usr/bin/env node
import { createRequire } from 'node:module';
// Runs dependency-cruiser over src/ with the layer rules, and fails when it examined no modules:
// a misconfigured resolver (or a compiler without the API it needs) would otherwise pass silently.
import { cruise } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const require = createRequire(import.meta.url);
const ruleSet = require('../.dependency-cruiser.cjs');
const result = await cruise(
  ['src'],
  { validate: true, ruleSet, ...ruleSet.options, outputType: 'json' },
  undefined,
  {
    tsConfig: extractTSConfig('tsconfig.json'),
  },
);
const output = typeof result.output === 'string' ? JSON.parse(result.output) : result.output;
const summary = output.summary;
const modules = summary.totalCruised;
const srcModules = output.modules.filter((m) => m.source.startsWith('src/')).length;
if (!modules || srcModules === 0) {
  console.error(
    `layer check examined ${modules ?? 0} modules (${srcModules} under src/): the check is broken`,
  );
  process.exit(1);
}
const violations = summary.violations ?? [];
for (const v of violations) {
  console.error(
    `${v.rule.severity}: ${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name ?? c).join(' -> ')})` : ''}`,
  );
}
if (summary.error > 0) {
  console.error(`layer check: ${summary.error} violation(s) in ${srcModules} modules`);
  process.exit(1);
}
console.log(
  `layer check: ${srcModules} modules under src/, ${summary.totalDependenciesCruised} dependencies, no violations`,
);
