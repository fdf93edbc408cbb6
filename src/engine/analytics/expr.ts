/** Analytic logic as data: a small expression language over data-model fields. */
import { FieldName } from '../model';

export type Expr =
  | { op: 'and' | 'or'; args: Expr[] }
  | { op: 'not'; arg: Expr }
  | { op: '==' | '!='; field: FieldName; value: string }
  | { op: 'in'; field: FieldName; values: string[] };
