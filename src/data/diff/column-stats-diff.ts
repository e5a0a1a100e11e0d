import type { ColumnProfile } from '../../columnar/index.js';
import type { ColumnStatsDiff, NumberChange, Psi } from '../../contracts/index.js';
import { categoryPsi, histogramPsi } from './psi.js';

type Top = { value: string; count: number }[];

export interface ProfiledColumn {
  version: number;
  /** Null when the version has no profile (or its profile lacks the column). */
  profile: ColumnProfile | null;
}

/** The statistics of one column present in both versions, compared. */
export function diffColumnStats(name: string, from: ProfiledColumn, to: ProfiledColumn): ColumnStatsDiff {
  const a = from.profile;
  const b = to.profile;
  if (!a || !b) {
    const missing = !a ? from.version : to.version;
    return {
      name,
      missing_fraction: null,
      distinct: null,
      numeric: null,
      categories: null,
      range: null,
      psi: noPsi(`version ${missing} has no profile of '${name}'`),
    };
  }
  const an = a.numeric;
  const bn = b.numeric;
  return {
    name,
    missing_fraction: change(
      fraction(a.missing, a.count + a.missing),
      fraction(b.missing, b.count + b.missing),
    ),
    distinct: change(a.distinct, b.distinct),
    numeric:
      an && bn
        ? {
            mean: change(an.mean, bn.mean),
            std: change(an.std, bn.std),
            min: change(an.min, bn.min),
            max: change(an.max, bn.max),
            median: change(median(an.quantiles), median(bn.quantiles)),
          }
        : null,
    categories: a.top && b.top ? categories(a, a.top, b, b.top) : null,
    range:
      a.range && b.range
        ? { min: { from: a.range.min, to: b.range.min }, max: { from: a.range.max, to: b.range.max } }
        : null,
    psi: psiOf(name, from.version, a, to.version, b),
  };
}

function psiOf(
  name: string,
  fromVersion: number,
  a: ColumnProfile,
  toVersion: number,
  b: ColumnProfile,
): Psi {
  if (a.kind !== b.kind) return noPsi(`'${name}' changed kind from ${a.kind} to ${b.kind}`);
  if (a.numeric && b.numeric) {
    const ah = a.numeric.histogram;
    const bh = b.numeric.histogram;
    if (ah && bh) return histogramPsi(ah, bh);
    return noPsi(`version ${ah ? toVersion : fromVersion} has no finite value of '${name}' (no histogram)`);
  }
  if (a.top && b.top) {
    if (!complete(a, a.top) || !complete(b, b.top)) {
      return noPsi(
        `'${name}' has more distinct values than the profiles list (the top ${Math.max(a.top.length, b.top.length)})`,
      );
    }
    const value = categoryPsi(a.top, b.top);
    if (value === null)
      return noPsi(`'${name}' has no value in version ${a.count === 0 ? fromVersion : toVersion}`);
    return { value, method: 'categories', approximate: false, reason: null };
  }
  return noPsi(`the profiles of ${a.kind} columns have no distribution to compare`);
}

function categories(
  a: ColumnProfile,
  aTop: Top,
  b: ColumnProfile,
  bTop: Top,
): NonNullable<ColumnStatsDiff['categories']> {
  const inA = new Map(aTop.map((c) => [c.value, c.count]));
  const inB = new Map(bTop.map((c) => [c.value, c.count]));
  const share = (p: ColumnProfile, top: Top, counts: Map<string, number>, value: string) => {
    const count = counts.get(value);
    if (count !== undefined) return fraction(count, p.count);
    return complete(p, top) ? 0 : null;
  };
  const values = [...new Set([...bTop.map((c) => c.value), ...aTop.map((c) => c.value)])];
  return {
    mode: { from: aTop[0]?.value ?? null, to: bTop[0]?.value ?? null },
    entered: bTop.filter((c) => !inA.has(c.value)).map((c) => c.value),
    left: aTop.filter((c) => !inB.has(c.value)).map((c) => c.value),
    shares: values.map((value) => ({
      value,
      ...change(share(a, aTop, inA, value), share(b, bTop, inB, value)),
    })),
  };
}

/** The stored top values are every value of the column. */
function complete(p: ColumnProfile, top: Top): boolean {
  return top.length >= p.distinct;
}

function median(quantiles: { p: number; value: number }[]): number | null {
  return finite(quantiles.find((q) => q.p === 0.5)?.value);
}

function fraction(part: number, whole: number): number | null {
  return whole > 0 ? finite(part / whole) : null;
}

export function change(from: number | null | undefined, to: number | null | undefined): NumberChange {
  const a = finite(from);
  const b = finite(to);
  return { from: a, to: b, delta: a === null || b === null ? null : finite(b - a) };
}

function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function noPsi(reason: string): Psi {
  return { value: null, method: null, approximate: false, reason };
}
