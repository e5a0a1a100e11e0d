import type { Command } from 'commander';
import { redactUrl, SETTINGS } from '../../core/index.js';
import { action, type CliContext } from '../context.js';
import { renderJson, renderTable } from '../output.js';

const URL_KEYS = new Set(['url', 'databaseUrl']);
const SECRET_KEY = /password|secret|token/i;

export function registerConfig(program: Command, ctx: CliContext): void {
  program
    .command('config')
    .description('print the effective settings (environment, cyclops.yaml and flags), secrets hidden')
    .option('--json', 'print JSON')
    .option('--docs', 'print every setting with its environment variable, as a Markdown table')
    .action(
      action(ctx, async (options: { json?: boolean; docs?: boolean }, cmd: Command) => {
        if (options.docs) return ctx.out(renderDocs());
        const config = ctx.settings(cmd) as Readonly<Record<string, unknown>>;
        const values = SETTINGS.map((s) => ({ key: s.key, env: s.env, value: redact(s.key, config[s.key]) }));
        if (options.json) {
          return ctx.out(renderJson(Object.fromEntries(values.map((v) => [v.key, v.value ?? null]))));
        }
        ctx.out(
          renderTable(
            ['SETTING', 'VALUE', 'ENVIRONMENT'],
            values.map((v) => [v.key, v.value === undefined ? '(unset)' : String(v.value), v.env]),
          ),
        );
      }),
    );
}

function redact(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (SECRET_KEY.test(key)) return '***';
  return URL_KEYS.has(key) ? redactUrl(value) : value;
}

function renderDocs(): string {
  const rows = SETTINGS.map((s) => `| \`${s.env}\` | \`${s.key}\` | ${s.doc.replaceAll('|', '\\|')} |`);
  return `| Variable | cyclops.yaml key | Description |\n|---|---|---|\n${rows.join('\n')}\n`;
}
