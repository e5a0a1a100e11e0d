import { describe, expect, it } from 'vitest';
import { formatDuration, formatMetric, formatTime, renderFields, renderTable } from './output.js';

describe('output', () => {
  it('formats times as ISO and durations for humans', () => {
    expect(formatTime(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(formatTime(undefined)).toBe('-');
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_345)).toBe('12.3s');
    expect(formatDuration(83_000)).toBe('1m 23s');
    expect(formatDuration(3 * 3600_000 + 5 * 60_000)).toBe('3h 5m');
    expect(formatDuration(undefined)).toBe('-');
    expect(formatDuration(-1)).toBe('-');
  });

  it('shows metric values compactly, non-finite ones by name', () => {
    expect(formatMetric(0.123456789)).toBe('0.123457');
    expect(formatMetric(42)).toBe('42');
    expect(formatMetric('-Infinity')).toBe('-Infinity');
  });

  it('renders a borderless table without trailing spaces', () => {
    const text = renderTable(
      ['ID', 'NAME'],
      [
        ['1', 'a'],
        ['22', undefined],
      ],
    );
    expect(text).toBe('ID  NAME\n1   a\n22  -\n');
  });

  it('aligns label and value fields', () => {
    expect(
      renderFields([
        ['ID', '1'],
        ['Name', undefined],
      ]),
    ).toBe('ID:    1\nName:  -\n');
  });
});
