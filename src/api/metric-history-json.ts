import type { MetricSeries } from '../tracking/index.js';

/**
 * A metric history as the JSON MLflow clients expect (`{"metrics": [{key, value, timestamp, step}]}`),
 * written straight from the typed columns into one Buffer: 100k points cost neither 100k objects nor
 * 100k intermediate strings. Keys are ASCII (the key pattern), so latin1 writes are exact. Non-finite
 * values use the proto3 JSON strings, as everywhere else on the wire.
 */
export function metricHistoryJson(series: MetricSeries, nextPageToken: string | undefined): Buffer {
  const head = Buffer.from(`{"key":${JSON.stringify(series.key)},"value":`, 'latin1');
  const { steps, timestamps, values } = series;
  const n = values.length;
  // Upper bound per point: the fixed parts plus 24 chars for a double and 22 for each int64.
  const buf = Buffer.allocUnsafe(64 + n * (head.length + TIMESTAMP.length + STEP.length + 72));
  let o = buf.write('{"metrics":[', 0, 'latin1');
  for (let i = 0; i < n; i++) {
    if (i > 0) buf[o++] = COMMA;
    o += head.copy(buf, o);
    o += buf.write(doubleJson(values[i]!), o, 'latin1');
    o += TIMESTAMP.copy(buf, o);
    o += buf.write(String(timestamps[i]), o, 'latin1');
    o += STEP.copy(buf, o);
    o += buf.write(String(steps[i]), o, 'latin1');
    buf[o++] = CLOSE_BRACE;
  }
  o += buf.write(']', o, 'latin1');
  if (nextPageToken !== undefined)
    o += buf.write(`,"next_page_token":${JSON.stringify(nextPageToken)}`, o, 'latin1');
  o += buf.write('}', o, 'latin1');
  return buf.subarray(0, o);
}

const TIMESTAMP = Buffer.from(',"timestamp":', 'latin1');
const STEP = Buffer.from(',"step":', 'latin1');
const COMMA = 44;
const CLOSE_BRACE = 125;

function doubleJson(v: number): string {
  if (Number.isFinite(v)) return String(v);
  return Number.isNaN(v) ? '"NaN"' : v > 0 ? '"Infinity"' : '"-Infinity"';
}
