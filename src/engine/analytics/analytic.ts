import type { AttackTechnique } from '../rules/car/analytic';
import { Expr } from './expr';

export type { AttackTechnique };

/** A detection analytic, defined entirely as data so that adding one adds no code. */
export interface Analytic {
  id: string;
  title: string;
  description: string;
  /** The data-model object and action it searches, e.g. process/create. */
  object: 'process';
  action: 'create';
  attack: AttackTechnique[];
  references: string[];
  /** The logic, over the CAR data-model fields. */
  logic: Expr;
}
