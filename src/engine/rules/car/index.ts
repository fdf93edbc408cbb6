/** The built-in MITRE CAR library: adding an analytic is a data file plus a line in a catalog. */
import { CarAnalytic } from './analytic';
import { car_2014_05_002 } from './car-2014-05-002';
import { CATALOG_2013_2016 } from './catalog-2013-2016';
import { CATALOG_2019_2022 } from './catalog-2019-2022';

/** Every built-in analytic, in id order. */
export const CAR_LIBRARY: readonly CarAnalytic[] = [car_2014_05_002, ...CATALOG_2013_2016, ...CATALOG_2019_2022].sort((a, b) => a.id.localeCompare(b.id));

/** The built-in analytic with this id, case ignored. */
export function findCarAnalytic(id: string): CarAnalytic | undefined {
  return CAR_LIBRARY.find((a) => a.id.toLowerCase() === id.toLowerCase());
}

export type { CarAnalytic } from './analytic';
