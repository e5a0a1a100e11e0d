/** The syntax tree of a derived-column expression. `pos` is the 0-based character offset in its text. */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<' | '<=' | '>' | '>=' | '=' | '!=' | 'and' | 'or';

export type Expr =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'column'; name: string; pos: number }
  | { kind: 'unary'; op: '-' | 'not'; arg: Expr; pos: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: number }
  | { kind: 'call'; name: string; args: Expr[]; pos: number };

/** The value types of the expression language; integer and float columns are both numbers. */
export type ValueType = 'number' | 'string' | 'boolean';

/** A lowered (sub)expression: the graph slot holding its value, and its type. */
export interface Typed {
  slot: number;
  type: ValueType;
}

/** A syntax or type error at a position of the expression text; the step wraps it with its field path. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}
