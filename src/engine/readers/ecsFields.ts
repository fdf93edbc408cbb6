/**
 * Where Winlogbeat's Sysmon ingest pipeline (elastic/beats, x-pack/winlogbeat/module/sysmon) moves
 * Sysmon EventData out of `winlog.event_data`, per EventID: the reader takes a field back under its
 * Sysmon name when the event_data no longer holds it. Only one-to-one moves whose value stays
 * verbatim are listed; docs/ecs-fields.md lists what is lost and why.
 */

/**
 * How a Sysmon field is found again: a dotted ECS path (a number steps into an array); a `\`-join
 * of two paths (User); or a path taken only when another path holds one of some values.
 */
export type EcsSource =
  | string
  | { join: readonly [string, string] }
  | { path: string; onlyIf: { path: string; values: readonly string[] } };

type Moves = Readonly<Record<string, EcsSource>>;

/** Every Sysmon event that names the acting process by ProcessGuid / ProcessId / Image. */
const PROCESS: Moves = { ProcessGuid: 'process.entity_id', ProcessId: 'process.pid', Image: 'process.executable' };

const NETWORK: Moves = {
  Protocol: 'network.transport',
  SourceIp: 'source.ip',
  SourceHostname: 'source.domain',
  SourcePort: 'source.port',
  DestinationIp: 'destination.ip',
  DestinationHostname: 'destination.domain',
  DestinationPort: 'destination.port',
};

const REGISTRY: Moves = { ...PROCESS, TargetObject: 'registry.path' };

const FILE: Moves = { ...PROCESS, TargetFilename: 'file.path' };

/** Moves the pipeline makes whatever the EventID. */
export const ECS_ANY_EVENT: Moves = {
  RuleName: 'rule.name',
  // Split on `\` into user.domain and user.name, only when it has exactly two parts.
  User: { join: ['user.domain', 'user.name'] },
};

/** Sysmon name -> where the pipeline put it, by EventID. */
export const ECS_BY_EVENT_ID: Readonly<Record<number, Moves>> = {
  1: {
    ...PROCESS,
    CommandLine: 'process.command_line',
    CurrentDirectory: 'process.working_directory',
    ParentProcessGuid: 'process.parent.entity_id',
    ParentProcessId: 'process.parent.pid',
    ParentImage: 'process.parent.executable',
    ParentCommandLine: 'process.parent.command_line',
    OriginalFileName: 'process.pe.original_file_name',
  },
  2: FILE,
  3: { ...PROCESS, ...NETWORK },
  5: PROCESS,
  6: { ImageLoaded: 'file.path' },
  7: { ...PROCESS, ImageLoaded: 'file.path', OriginalFileName: 'file.pe.original_file_name' },
  8: {
    SourceProcessGuid: 'process.entity_id',
    SourceProcessId: 'process.pid',
    SourceImage: 'process.executable',
    // The pipeline's "conformity" step renames it to EventID 10's spelling.
    TargetProcessGuid: 'winlog.event_data.TargetProcessGUID',
  },
  9: { ...PROCESS, Device: 'file.path' },
  10: {
    SourceProcessGUID: 'process.entity_id',
    SourceProcessId: 'process.pid',
    SourceThreadId: 'process.thread.id',
    SourceImage: 'process.executable',
  },
  11: FILE,
  12: REGISTRY,
  // DWORD and QWORD Details are rewritten in decimal (type SZ_DWORD, SZ_QWORD): only the others keep their text.
  13: { ...REGISTRY, Details: { path: 'registry.data.strings.0', onlyIf: { path: 'registry.data.type', values: ['REG_SZ', 'REG_BINARY'] } } },
  14: REGISTRY,
  15: FILE,
  17: { ...PROCESS, PipeName: 'file.name' },
  18: { ...PROCESS, PipeName: 'file.name' },
  20: { Destination: 'process.executable' },
  22: { ...PROCESS, QueryName: 'dns.question.name' },
  23: { ...FILE, Archived: 'sysmon.file.archived', IsExecutable: 'sysmon.file.is_executable' },
  24: { ...PROCESS, Archived: 'sysmon.file.archived' },
  25: { ...PROCESS, Type: 'message' },
  26: { ...FILE, IsExecutable: 'sysmon.file.is_executable' },
  27: FILE,
  28: { ...FILE, IsExecutable: 'sysmon.file.is_executable' },
  29: FILE,
  255: { ID: 'error.code' },
};

