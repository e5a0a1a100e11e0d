/**
 * Calendar arithmetic for the row engine, allocation-free: proleptic Gregorian, UTC, days since
 * 1970-01-01 (Howard Hinnant's civil-from-days algorithms), matching DuckDB's DATE and TIMESTAMP.
 */
export const MS_PER_DAY = 86_400_000;

export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The year, month (1-12) or day of month of a day number. */
export function civilPart(days: number, part: 'year' | 'month' | 'day'): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  if (part === 'day') return doy - Math.floor((153 * mp + 2) / 5) + 1;
  if (part === 'month') return month;
  return yoe + era * 400 + (month <= 2 ? 1 : 0);
}

/** ISO 8601 weekday: Monday = 1 ... Sunday = 7 (1970-01-01 was a Thursday). */
export const isoWeekday = (days: number): number => ((((days + 3) % 7) + 7) % 7) + 1;

/** `n` decimal digits at `i`, or -1. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since the epoch of `YYYY-MM-DD`, or NaN. */
export function parseIsoDate(s: string): number {
  if (s.length !== 10) return Number.NaN;
  return datePrefix(s);
}

function datePrefix(s: string): number {
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || month < 1 || month > 12)
    return Number.NaN;
  if (day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  return daysFromCivil(year, month, day);
}

/**
 * Milliseconds since the epoch of `YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|±HH[:MM]]`, or NaN.
 * Without an offset the time is UTC, as normalized tables store instants.
 */
export function parseIsoTimestamp(s: string): number {
  const days = datePrefix(s);
  if (Number.isNaN(days)) return Number.NaN;
  if (s.length === 10) return days * MS_PER_DAY;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32 && sep !== 116) return Number.NaN; // 'T', ' ', 't'
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  if (hour < 0 || hour > 23 || s.charCodeAt(13) !== 58 || minute < 0 || minute > 59) return Number.NaN;
  let ms = days * MS_PER_DAY + hour * 3_600_000 + minute * 60_000;
  let i = 16;
  if (s.charCodeAt(i) === 58) {
    const second = digits(s, i + 1, 2);
    if (second < 0 || second > 59) return Number.NaN;
    ms += second * 1000;
    i += 3;
    if (s.charCodeAt(i) === 46) {
      let scale = 100;
      let k = i + 1;
      for (; k < s.length && k < i + 10; k++) {
        const c = s.charCodeAt(k) - 48;
        if (c < 0 || c > 9) break;
        ms += c * scale;
        scale /= 10;
      }
      if (k === i + 1) return Number.NaN;
      i = k;
    }
  }
  if (i === s.length) return ms;
  const z = s.charCodeAt(i);
  if ((z === 90 || z === 122) && i + 1 === s.length) return ms; // 'Z', 'z'
  if (z !== 43 && z !== 45) return Number.NaN; // '+', '-'
  const oh = digits(s, i + 1, 2);
  const rest = s.length - (i + 3);
  const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
  const om = rest === 0 ? 0 : digits(s, i + 3 + colon, 2);
  if (oh < 0 || oh > 23 || om < 0 || om > 59 || (rest !== 0 && rest !== 2 + colon)) return Number.NaN;
  return ms - (z === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
}
