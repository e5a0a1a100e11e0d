/**
 * The layer rules of DESIGN.md ("Layers (imports point down only)"), checked in CI by
 * scripts/check-layers.mjs. A module may import its own folder, the layers below it, and another
 * module only through that module's index.ts.
 */
const INFRA = 'store|artifacts|columnar|exec|events';
const DOMAINS = 'data|features|training|tracking|registry';
const COMPOSERS = 'pipelines|serving|monitoring|promotion';

const only = (from, allowed) => ({
  name: `${from}-imports-down-only`,
  comment: `src/${from}/ may import only: ${allowed}`,
  severity: 'error',
  from: { path: `^src/(${from})/` },
  to: { path: '^src/', pathNot: [`^src/(${from}|${allowed})/`] },
});

module.exports = {
  forbidden: [
    only('core', 'core'),
    only('contracts', 'contracts'),
    only(INFRA, `core|contracts|${INFRA}`),
    // Domains see infrastructure; among themselves only training -> features -> data and registry -> tracking.
    only('data', `core|contracts|${INFRA}`),
    only('features', `data|core|contracts|${INFRA}`),
    only('training', `features|data|core|contracts|${INFRA}`),
    only('tracking', `core|contracts|${INFRA}`),
    only('registry', `tracking|core|contracts|${INFRA}`),
    only(COMPOSERS, `${DOMAINS}|core|contracts|${INFRA}`),
    only('api', `${COMPOSERS}|${DOMAINS}|core|contracts|${INFRA}`),
    only('cli', 'client|contracts|core'),
    only('client', 'contracts'),
    only('web', 'client|contracts'),
    {
      name: 'only-through-index',
      comment: 'Another module is reached only through its index.ts, never its internals.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'http-only-in-api',
      comment: 'Domains and infrastructure never import Fastify; only api/ (and bin/ that wires it) do.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(api|bin)/' },
      to: { path: 'node_modules/(fastify|@fastify)/' },
    },
    {
      name: 'browser-safe-client',
      comment: 'client/, contracts/ and web/ run in the browser: no node: built-ins.',
      severity: 'error',
      from: { path: '^src/(client|contracts|web)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
