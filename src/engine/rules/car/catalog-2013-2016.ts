/** The built-in CAR analytics of 2013 to 2016 that are a single-event condition over Sysmon data, in id order. */
import type { CarAnalytic } from './analytic';
import { car_2013_02_003 } from './car-2013-02-003';
import { car_2013_05_002 } from './car-2013-05-002';
import { car_2013_05_004 } from './car-2013-05-004';
import { car_2013_07_001 } from './car-2013-07-001';
import { car_2013_07_002 } from './car-2013-07-002';
import { car_2013_07_005 } from './car-2013-07-005';
import { car_2013_08_001 } from './car-2013-08-001';
import { car_2013_10_002 } from './car-2013-10-002';
import { car_2014_03_006 } from './car-2014-03-006';
import { car_2014_04_003 } from './car-2014-04-003';
import { car_2014_11_003 } from './car-2014-11-003';
import { car_2014_11_004 } from './car-2014-11-004';
import { car_2014_11_006 } from './car-2014-11-006';
import { car_2014_11_008 } from './car-2014-11-008';
import { car_2016_03_001 } from './car-2016-03-001';
import { car_2016_03_002 } from './car-2016-03-002';
import { car_2016_04_002 } from './car-2016-04-002';

// Left out, each for a reason of the kind below (the full list is in the test):
// joins or time windows (CAR-2013-03-001, -05-005, 2014-02-001, -03-005, -05-001, -12-001),
// counts and baselines (2013-04-002, -05-009, -09-005, 2014-11-002), decoded SMB/RPC packets
// (2013-01-003, -05-003, -09-003, 2014-03-001, -11-005, -11-007, 2015-04-001, -04-002), logon
// and System-log events (2013-02-008, -02-012, -10-001, 2015-07-001, 2016-04-003, -04-004,
// -04-005), Autoruns scans (2013-01-002), and a field-to-field comparison (2014-07-001).
export const CATALOG_2013_2016: readonly CarAnalytic[] = [
  car_2013_02_003,
  car_2013_05_002,
  car_2013_05_004,
  car_2013_07_001,
  car_2013_07_002,
  car_2013_07_005,
  car_2013_08_001,
  car_2013_10_002,
  car_2014_03_006,
  car_2014_04_003,
  car_2014_11_003,
  car_2014_11_004,
  car_2014_11_006,
  car_2014_11_008,
  car_2016_03_001,
  car_2016_03_002,
  car_2016_04_002,
];
