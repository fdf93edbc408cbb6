/**
 * A MITRE CAR analytic of the built-in library, as data: CAR's own metadata, and its logic
 * translated by hand into Sigma's detection form, so that one compiler serves both and a user's
 * own detections need no second rule format.
 */
import type { Expr } from '../../analytics/expr';
import type { Level } from '../rule';

/** An ATT&CK technique an analytic detects, with the tactics it serves. */
export interface AttackTechnique {
  /** `T1543.003` */
  id: string;
  name: string;
  /** In words: `Persistence`, `Privilege Escalation`. */
  tactics: string[];
}

/** Sigma's `logsource` map. */
export interface SigmaLogsource {
  product?: string;
  category?: string;
  service?: string;
}

/** One logsource and the Sigma `detection` map (selections plus `condition`) that runs on it. */
export interface CarBranch {
  logsource: SigmaLogsource;
  detection: Record<string, unknown>;
}

export interface CarAnalytic {
  /** `CAR-2014-05-002` */
  id: string;
  title: string;
  description: string;
  /** CAR gives no level; the translator judges one from the analytic's type and its false positives. */
  level: Level;
  attack: AttackTechnique[];
  /** CAR's page first, then its own references. */
  references: string[];
  /** Known benign causes, from CAR's text where it names them. */
  falsepositives?: string[];
  /** One branch per logsource; most analytics have one, a few need a branch per EventID. */
  branches: CarBranch[];
  /** The logic over CAR's data model, for the query generators (CAR-2014-05-002 only, for now). */
  logic?: Expr;
}
