/**
 * Text an event must contain for an analytic to match it, derived from the logic so the fast
 * path's pre-filter follows every analytic without hand-written hints.
 */
import { Expr } from './expr';

/**
 * A conjunction of alternatives: the record matches only if, for every set, it contains at least
 * one of the set's strings (lower case). An empty list means nothing can be required.
 */
export type Requirement = string[][];

export function requiredLiterals(expr: Expr): Requirement {
  switch (expr.op) {
    case 'and':
      return expr.args.flatMap(requiredLiterals);
    case 'or': {
      // Each branch must bring a single alternative set; then any of their strings will do.
      const branches = expr.args.map(requiredLiterals);
      if (branches.length === 0 || branches.some((b) => b.length !== 1)) return [];
      return [branches.flatMap((b) => b[0])];
    }
    case '==':
      // An empty value matches only an empty field: no text is implied.
      return expr.value === '' ? [] : [[expr.value.toLowerCase()]];
    case 'in':
      return expr.values.includes('') ? [] : [expr.values.map((v) => v.toLowerCase())];
    case '!=':
    case 'not':
      return [];
  }
}
