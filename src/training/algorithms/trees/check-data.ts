import { invalid } from '../../../core/index.js';
import type { TrainingData } from '../../model.entity.js';

/**
 * Checks what a tree model is fitted on, naming the row or feature at fault: shapes agree, the target
 * is finite (regression) or a class code with at least two classes present (classification), and a
 * categorical feature holds codes of its categories. Missing feature values (NaN) are fine: trees route
 * them. With `like`, the data (validation data) must have the same features. Returns the class labels
 * (null for regression).
 */
export function checkTrainingData(
  data: TrainingData,
  algorithm: string,
  like?: TrainingData,
): string[] | null {
  const { x, y, task } = data;
  if (x.rows === 0) throw invalid(`${algorithm}: no rows to fit`, { field: '/x' });
  if (
    x.values.length !== x.rows * x.columns ||
    x.names.length !== x.columns ||
    x.categories.length !== x.columns
  ) {
    throw invalid(
      `${algorithm}: the feature matrix is inconsistent (${x.rows} rows x ${x.columns} columns)`,
      { field: '/x' },
    );
  }
  if (y.length !== x.rows)
    throw invalid(`${algorithm}: ${y.length} target values for ${x.rows} rows`, { field: '/y' });
  if (like) {
    const same = x.columns === like.x.columns && x.names.every((n, j) => n === like.x.names[j]);
    if (!same) throw invalid(`${algorithm}: the features differ from the training data's`, { field: '/x' });
  }
  for (let j = 0; j < x.columns; j++) {
    const categories = x.categories[j];
    if (!categories) continue;
    const offset = j * x.rows;
    for (let i = 0; i < x.rows; i++) {
      const v = x.values[offset + i] as number;
      if (Number.isNaN(v)) continue;
      if (!(Number.isInteger(v) && v >= 0 && v < categories.length)) {
        throw invalid(
          `${algorithm}: feature '${x.names[j]}' has ${v} in row ${i}, not a code of its ${categories.length} categories`,
          {
            field: '/x',
            feature: x.names[j],
            row: i,
          },
        );
      }
    }
  }
  if (task === 'regression') {
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i] as number)) {
        throw invalid(`${algorithm}: the target is ${y[i]} in row ${i}; it must be a finite number`, {
          field: '/y',
          row: i,
        });
      }
    }
    return null;
  }
  const classes = data.classes ?? (task === 'binary' ? ['0', '1'] : null);
  if (!classes)
    throw invalid(`${algorithm}: a multiclass task needs its class labels`, { field: '/classes' });
  if (task === 'binary' && classes.length !== 2) {
    throw invalid(`${algorithm}: a binary task needs 2 classes, got ${classes.length}`, {
      field: '/classes',
    });
  }
  const seen = new Uint8Array(classes.length);
  for (let i = 0; i < y.length; i++) {
    const c = y[i] as number;
    if (!(Number.isInteger(c) && c >= 0 && c < classes.length)) {
      throw invalid(
        `${algorithm}: the target is ${c} in row ${i}; it must be a class code 0..${classes.length - 1}`,
        {
          field: '/y',
          row: i,
        },
      );
    }
    seen[c] = 1;
  }
  if (!like && seen.reduce((a, b) => a + b, 0) < 2) {
    throw invalid(`${algorithm}: the target has a single class; a classifier needs at least two`, {
      field: '/y',
    });
  }
  return classes;
}
