/**
 * Analytics the query generators can translate: the built-in CAR analytics that carry logic over
 * CAR's data model (today CAR-2014-05-002). Hunting uses the rule stage (../rules) instead.
 */
import { CAR_LIBRARY } from '../rules/car';
import { Analytic } from './analytic';

export const ANALYTICS: readonly Analytic[] = CAR_LIBRARY.flatMap((a) =>
  a.logic
    ? [{ id: a.id, title: a.title, description: a.description, object: 'process' as const, action: 'create' as const, attack: a.attack, references: a.references, logic: a.logic }]
    : [],
);

/** The analytic with this id, case ignored, or undefined. */
export function findAnalytic(id: string): Analytic | undefined {
  return ANALYTICS.find((a) => a.id.toLowerCase() === id.toLowerCase());
}

export type { Analytic } from './analytic';
