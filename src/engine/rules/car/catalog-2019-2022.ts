/** The built-in CAR analytics of 2019 to 2022 that are a single-event condition over Sysmon data, in id order. */
import type { CarAnalytic } from './analytic';
import { car_2019_04_001 } from './car-2019-04-001';
import { car_2019_04_002 } from './car-2019-04-002';
import { car_2019_04_003 } from './car-2019-04-003';
import { car_2019_04_004 } from './car-2019-04-004';
import { car_2019_07_002 } from './car-2019-07-002';
import { car_2019_08_001 } from './car-2019-08-001';
import { car_2019_08_002 } from './car-2019-08-002';
import { car_2020_05_001 } from './car-2020-05-001';
import { car_2020_08_001 } from './car-2020-08-001';
import { car_2020_08_002 } from './car-2020-08-002';
import { car_2020_09_001 } from './car-2020-09-001';
import { car_2020_09_002 } from './car-2020-09-002';
import { car_2020_09_003 } from './car-2020-09-003';
import { car_2020_09_004 } from './car-2020-09-004';
import { car_2020_09_005 } from './car-2020-09-005';
import { car_2020_11_001 } from './car-2020-11-001';
import { car_2020_11_002 } from './car-2020-11-002';
import { car_2020_11_003 } from './car-2020-11-003';
import { car_2020_11_004 } from './car-2020-11-004';
import { car_2020_11_005 } from './car-2020-11-005';
import { car_2020_11_006 } from './car-2020-11-006';
import { car_2020_11_007 } from './car-2020-11-007';
import { car_2020_11_008 } from './car-2020-11-008';
import { car_2020_11_009 } from './car-2020-11-009';
import { car_2020_11_010 } from './car-2020-11-010';
import { car_2020_11_011 } from './car-2020-11-011';
import { car_2021_01_003 } from './car-2021-01-003';
import { car_2021_01_004 } from './car-2021-01-004';
import { car_2021_01_006 } from './car-2021-01-006';
import { car_2021_01_007 } from './car-2021-01-007';
import { car_2021_01_008 } from './car-2021-01-008';
import { car_2021_01_009 } from './car-2021-01-009';
import { car_2021_02_001 } from './car-2021-02-001';
import { car_2021_02_002 } from './car-2021-02-002';
import { car_2021_04_001 } from './car-2021-04-001';
import { car_2021_05_001 } from './car-2021-05-001';
import { car_2021_05_002 } from './car-2021-05-002';
import { car_2021_05_003 } from './car-2021-05-003';
import { car_2021_05_004 } from './car-2021-05-004';
import { car_2021_05_005 } from './car-2021-05-005';
import { car_2021_05_006 } from './car-2021-05-006';
import { car_2021_05_007 } from './car-2021-05-007';
import { car_2021_05_008 } from './car-2021-05-008';
import { car_2021_05_009 } from './car-2021-05-009';
import { car_2021_05_010 } from './car-2021-05-010';
import { car_2021_05_011 } from './car-2021-05-011';
import { car_2021_11_001 } from './car-2021-11-001';
import { car_2021_11_002 } from './car-2021-11-002';
import { car_2021_12_001 } from './car-2021-12-001';
import { car_2021_12_002 } from './car-2021-12-002';
import { car_2022_03_001 } from './car-2022-03-001';

export const CATALOG_2019_2022: readonly CarAnalytic[] = [
  car_2019_04_001,
  car_2019_04_002,
  car_2019_04_003,
  car_2019_04_004,
  car_2019_07_002,
  car_2019_08_001,
  car_2019_08_002,
  car_2020_05_001,
  car_2020_08_001,
  car_2020_08_002,
  car_2020_09_001,
  car_2020_09_002,
  car_2020_09_003,
  car_2020_09_004,
  car_2020_09_005,
  car_2020_11_001,
  car_2020_11_002,
  car_2020_11_003,
  car_2020_11_004,
  car_2020_11_005,
  car_2020_11_006,
  car_2020_11_007,
  car_2020_11_008,
  car_2020_11_009,
  car_2020_11_010,
  car_2020_11_011,
  car_2021_01_003,
  car_2021_01_004,
  car_2021_01_006,
  car_2021_01_007,
  car_2021_01_008,
  car_2021_01_009,
  car_2021_02_001,
  car_2021_02_002,
  car_2021_04_001,
  car_2021_05_001,
  car_2021_05_002,
  car_2021_05_003,
  car_2021_05_004,
  car_2021_05_005,
  car_2021_05_006,
  car_2021_05_007,
  car_2021_05_008,
  car_2021_05_009,
  car_2021_05_010,
  car_2021_05_011,
  car_2021_11_001,
  car_2021_11_002,
  car_2021_12_001,
  car_2021_12_002,
  car_2022_03_001,
];

/** The CAR analytics of 2019 to 2022 left out, and why: none is a single-event condition over Sysmon data. */
export const LEFT_OUT_2019_2022: Readonly<Record<string, string>> = {
  'CAR-2019-07-001':
    'Windows: Security 4670 (permissions changed on an object), which Sysmon does not write; Linux: chmod, not Windows',
  'CAR-2020-04-001': 'deprecated by CAR in favour of CAR-2021-01-009; it carries no logic',
  'CAR-2020-05-003': 'keeps LOLBAS command lines rarer than a standard-deviation bound: an aggregation over all events',
  'CAR-2021-01-001': 'counts distinct destination ports per source in firewall logs: an aggregation, not Sysmon data',
  'CAR-2021-01-002': "compares a command line's length to its host's average over Security 4688: an aggregation",
  'CAR-2021-05-012': 'reads service installs (System 7045: service file name and type), which Sysmon does not write',
};
