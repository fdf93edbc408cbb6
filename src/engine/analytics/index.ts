/** The registry of analytics: adding one is a data file plus a line here. */
import { Analytic } from './analytic';
import { car_2014_05_002 } from './car-2014-05-002';

export const ANALYTICS: readonly Analytic[] = [car_2014_05_002];

/** The analytic with this id, case ignored, or undefined. */
export function findAnalytic(id: string): Analytic | undefined {
  return ANALYTICS.find((a) => a.id.toLowerCase() === id.toLowerCase());
}

export type { Analytic } from './analytic';
