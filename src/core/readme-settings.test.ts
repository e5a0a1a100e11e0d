import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from './config.js';

// The README's configuration table is the user's reference: every setting must be in it.
describe('README configuration table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  it.each(SETTINGS.map((s) => [s.env, s.key]))('documents %s (%s)', (env, key) => {
    expect(readme).toContain(`| \`${env}\` | \`${key}\` |`);
  });
});
