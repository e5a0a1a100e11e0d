import { CyclopsError } from '../../core/index.js';

/** Which request field a search-syntax error points at; the API reports it as `details.field`. */
export type SearchField = 'filter' | 'order_by';

export function syntaxError(field: SearchField, message: string, position?: number): CyclopsError {
  return new CyclopsError(
    'invalid_argument',
    message,
    position === undefined ? { field } : { field, position },
  );
}
