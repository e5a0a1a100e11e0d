/** What a run-search filter or order-by clause can refer to (MLflow's identifier types, minus datasets). */
export type FilterEntity = 'metric' | 'param' | 'tag' | 'attribute';

export type NumericOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type FilterOp = NumericOp | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';

/**
 * One comparison. `value` is a number for metrics and numeric attributes, a string for the other
 * comparators, a list for IN / NOT IN and null for IS NULL / IS NOT NULL. Attribute keys are canonical
 * (`run name` has become `run_name`).
 */
export interface FilterComparison {
  entity: FilterEntity;
  key: string;
  op: FilterOp;
  value: string | number | string[] | null;
  /** 1-based character position of the comparison in the filter text, for messages. */
  position: number;
}

/** MLflow filters are a conjunction only: every comparison must hold. Empty means "all runs". */
export interface FilterExpr {
  and: FilterComparison[];
}

export interface OrderClause {
  entity: FilterEntity;
  key: string;
  ascending: boolean;
}
