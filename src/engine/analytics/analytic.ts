import { Expr } from './expr';

/** An ATT&CK technique an analytic detects, with the tactics it serves. */
export interface AttackTechnique {
  id: string;
  name: string;
  tactics: string[];
}

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
