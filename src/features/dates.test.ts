import { describe, expect, it } from 'vitest';
import { withSession } from '../columnar/index.js';
import { civilPart, isoWeekday, MS_PER_DAY, parseIsoDate, parseIsoTimestamp } from './dates.js';

describe('calendar arithmetic', () => {
  it('agrees with DuckDB on dates from year 1 to 9999 and timestamps around the epoch', async () => {
    await withSession(async (session) => {
      const rows = await session.rows(
        `SELECT CAST(d - DATE '1970-01-01' AS BIGINT) AS days, year(d) AS y, month(d) AS m, day(d) AS dd, isodow(d) AS w,
                CAST(d AS VARCHAR) AS text
           FROM (SELECT DATE '0001-01-01' + CAST(floor(random() * 3652058) AS INTEGER) AS d FROM range(5000))`,
      );
      for (const r of rows) {
        const days = Number(r.days);
        const got = [
          civilPart(days, 'year'),
          civilPart(days, 'month'),
          civilPart(days, 'day'),
          isoWeekday(days),
        ];
        expect(got, String(r.text)).toEqual([Number(r.y), Number(r.m), Number(r.dd), Number(r.w)]);
        expect(parseIsoDate(String(r.text)), String(r.text)).toBe(days);
      }
      const stamps = await session.rows(
        `SELECT CAST(t AS VARCHAR) AS text, epoch_us(t) AS us, hour(t) AS h
           FROM (SELECT TIMESTAMP '1969-06-01' + to_microseconds(CAST(floor(random() * 6e13) AS BIGINT)) AS t FROM range(2000))`,
      );
      for (const r of stamps) {
        const ms = parseIsoTimestamp(String(r.text));
        expect(Math.round(ms * 1000), String(r.text)).toBe(Number(r.us));
        expect(Math.floor((((ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / 3_600_000)).toBe(Number(r.h));
      }
    });
  });

  it('reads ISO 8601 timestamps with a T or a space, fractions and offsets (UTC without)', () => {
    for (const text of [
      '2024-02-29T13:45:00Z',
      '2024-02-29T13:45:00.123+02:00',
      '2024-02-29T13:45:59.5-05:30',
      '1969-12-31T23:59:59.999Z',
      '2000-01-01T00:00Z',
    ]) {
      expect(parseIsoTimestamp(text), text).toBe(Date.parse(text));
    }
    expect(parseIsoTimestamp('2024-02-29 13:45:00')).toBe(Date.parse('2024-02-29T13:45:00Z'));
    expect(parseIsoTimestamp('2024-02-29')).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(parseIsoTimestamp('2024-02-29T13:45:00+0200')).toBe(Date.parse('2024-02-29T11:45:00Z'));
  });

  it('refuses what is not a real date or time', () => {
    for (const text of [
      '2023-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-1-01',
      '24-01-01',
      '2024/01/01',
      '',
    ]) {
      expect(parseIsoDate(text), text).toBeNaN();
    }
    for (const text of [
      '2024-01-01T24:00:00',
      '2024-01-01T10:60',
      '2024-01-01T10',
      '2024-01-01T10:00:00+25:00',
      '2024-01-01X10:00',
      '2024-01-01T10:00:00.',
      '2024-01-01T10:00:00Zjunk',
    ]) {
      expect(parseIsoTimestamp(text), text).toBeNaN();
    }
  });
});
