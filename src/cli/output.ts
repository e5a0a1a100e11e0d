import Table from 'cli-table3';
import type { MetricValue } from '../contracts/index.js';

type Cell = string | number | undefined;

/** A borderless, left-aligned table, like `kubectl get`: easy to read and to grep. */
export function renderTable(head: string[], rows: Cell[][]): string {
  const table = new Table({
    head,
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: { 'padding-left': 0, 'padding-right': 0, head: [], border: [] },
  });
  for (const row of rows) table.push(row.map((cell) => (cell === undefined ? '-' : cell)));
  return `${table.toString().replace(/[ \t]+$/gm, '')}\n`;
}

/** Two columns of label and value, for `show` commands. */
export function renderFields(fields: Array<[string, Cell]>): string {
  const width = Math.max(...fields.map(([label]) => label.length)) + 3;
  return fields.map(([label, value]) => `${`${label}:`.padEnd(width)}${value ?? '-'}\n`).join('');
}

/** `--json` output: the wire objects as the API returns them, one document on stdout. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function formatTime(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? '-' : new Date(ms).toISOString();
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours}h ${minutes}m` : `${minutes}m ${seconds}s`;
}

/** Six significant digits in tables; --json keeps the full value. */
export function formatMetric(value: MetricValue): string {
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
