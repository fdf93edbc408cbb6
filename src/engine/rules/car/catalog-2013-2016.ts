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

/**
 * The CAR analytics of 2013 to 2016 left out, and why: none is a single-event condition over
 * Sysmon data. (CAR-2014-05-002 is converted on its own.)
 */
export const LEFT_OUT_2013_2016: Readonly<Record<string, string>> = {
  'CAR-2013-01-002': 'diffs periodic Autoruns scans over time; no event condition, and not Sysmon data',
  'CAR-2013-01-003': 'needs SMB protocol decoding (protocol, proto_info.file_name) from packet capture',
  'CAR-2013-02-008': 'groups logon events (Security 4624) per host over an hour',
  'CAR-2013-02-012': 'aggregates logon events per user across hosts; no pseudocode',
  'CAR-2013-03-001':
    "joins reg.exe's create with its parent cmd.exe's own create to test the grandparent (not explorer.exe); a Sysmon event names only the parent",
  'CAR-2013-04-002': 'groups the commands by host and parent within 30 minutes',
  'CAR-2013-05-003': 'needs decoded SMB write requests from packet capture',
  'CAR-2013-05-005': 'joins an SMB write (packet data) with a later process create of the written file',
  'CAR-2013-05-009': 'counts distinct names per hash across events',
  'CAR-2013-09-003': 'needs decoded SMB session setups from packet capture',
  'CAR-2013-09-005': 'compares against a baseline of service executables seen over 30 days',
  'CAR-2013-10-001': 'logon events (Security 4624) less the top 30 accounts, an aggregation',
  'CAR-2014-02-001': 'joins a file create or modify with a later service process create of that file',
  'CAR-2014-03-001': 'needs decoded SMB named-pipe writes from packet capture',
  'CAR-2014-03-005': 'joins a network connection to services.exe with its child within 1 second',
  'CAR-2014-05-001': 'joins an endpoint-mapper flow with a high-port flow within 2 seconds',
  'CAR-2014-07-001':
    "needs `exe not in command_line`, a comparison of two fields of one event (Image's file name within CommandLine) that Sigma's detection form cannot express; without it every `svchost.exe -k ...` child of services.exe matches",
  'CAR-2014-11-002': 'compares parents of cmd.exe against a 30-day baseline',
  'CAR-2014-11-005': 'needs decoded WINREG pipe function calls over SMB from packet capture',
  'CAR-2014-11-007': 'needs the decoded RPC interface (IRemUnknown2) from packet capture',
  'CAR-2014-12-001': 'joins decoded RPC traffic with a WmiPrvSE.exe child within 1 second',
  'CAR-2015-04-001': 'needs decoded ATSVC JobAdd calls over SMB from packet capture',
  'CAR-2015-04-002': 'needs decoded ITaskSchedulerService RPC traffic from packet capture',
  'CAR-2015-07-001': 'boot and logon records, gathered per host for forensics',
  'CAR-2016-04-003': 'System log event 7036 from the Service Control Manager, not Sysmon',
  'CAR-2016-04-004': 'Security log logon event 4624, not Sysmon',
  'CAR-2016-04-005': 'Security log logon event 4624, not Sysmon',
};
