/**
 * The EQL reference engine's native schema for Sysmon process creation (eqllib's Sysmon mapping):
 * `process where subtype.create`, and these fields. Any other Sysmon field keeps its Sysmon name,
 * which the normaliser must pass through (said in a note). Data only.
 */
export const EQL_NATIVE_FIELDS: Readonly<Record<string, { name: string; numeric?: boolean }>> = {
  Image: { name: 'process_path' },
  ParentImage: { name: 'parent_process_path' },
  CommandLine: { name: 'command_line' },
  ProcessId: { name: 'pid', numeric: true },
  ParentProcessId: { name: 'ppid', numeric: true },
  ProcessGuid: { name: 'unique_pid' },
  ParentProcessGuid: { name: 'unique_ppid' },
  User: { name: 'user' },
  Computer: { name: 'hostname' },
};

/** The event type and subtype each Sysmon EventID has in the native schema. */
export const EQL_NATIVE_EVENTS: Readonly<Record<number, string>> = { 1: 'process where subtype.create' };
