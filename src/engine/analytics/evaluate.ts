/** Runs an analytic's logic against one event's fields. */
import { ProcessFields } from '../model';
import { Expr } from './expr';

/** Case-insensitive equality, the comparison CAR's pseudocode and EQL use for strings. */
function same(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** Does `expr` hold for these fields? An absent field equals nothing and differs from everything. */
export function evaluate(expr: Expr, fields: ProcessFields): boolean {
  switch (expr.op) {
    case 'and':
      return expr.args.every((arg) => evaluate(arg, fields));
    case 'or':
      return expr.args.some((arg) => evaluate(arg, fields));
    case 'not':
      return !evaluate(expr.arg, fields);
    case '==':
      return same(fields[expr.field], expr.value);
    case '!=':
      return !same(fields[expr.field], expr.value);
    case 'in':
      return expr.values.some((value) => same(fields[expr.field], value));
  }
}

/** The logic as text, for explanations: `exe == "cmd.exe" and parent_exe == "services.exe"`. */
export function formatExpr(expr: Expr): string {
  switch (expr.op) {
    case 'and':
    case 'or':
      return expr.args.map((arg) => (arg.op === 'and' || arg.op === 'or' ? `(${formatExpr(arg)})` : formatExpr(arg))).join(` ${expr.op} `);
    case 'not':
      return `not (${formatExpr(expr.arg)})`;
    case '==':
    case '!=':
      return `${expr.field} ${expr.op} ${JSON.stringify(expr.value)}`;
    case 'in':
      return `${expr.field} in (${expr.values.map((v) => JSON.stringify(v)).join(', ')})`;
  }
}
