/**
 * DNIF field names for Sysmon events. DNIF publishes no Sysmon schema: the names MITRE CAR's DNIF
 * queries use are taken as given, every other field is written `$<Sysmon name>` and called a
 * guess in the notes. Data only.
 */
export const DNIF_FIELDS: Readonly<Record<string, { name: string; numeric?: boolean }>> = {
  EventID: { name: '$EventID', numeric: true },
  CommandLine: { name: '$Process' },
  ParentImage: { name: '$ParentProcess' },
  ProcessId: { name: '$CPID', numeric: true },
  ParentProcessId: { name: '$PPID', numeric: true },
  Computer: { name: '$SystemName' },
};

export const DNIF_SOURCE = '$LogName=WINDOWS-SYSMON';
