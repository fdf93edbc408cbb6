/**
 * Microsoft Defender XDR advanced hunting: the table for each Sysmon EventID and the column for
 * each Sysmon field there (Microsoft's documented schemas). A field without a column here has no
 * counterpart in that table, and a rule that tests it cannot be written for Defender. A column
 * may be an expression (User is AccountDomain\AccountName). Data only.
 */
export interface DefenderColumn {
  /** Column name, or a KQL expression over columns. */
  expr: string;
  numeric?: boolean;
  /** Said in a note when the rule uses the field. */
  note?: string;
}

export interface DefenderTable {
  table: string;
  /** ActionType values that are this EventID, when the table holds other actions too. */
  actionTypes?: string[];
  columns: Readonly<Record<string, DefenderColumn>>;
}

const PATH_NOTE = 'FolderPath columns hold the full path of the file, as Sysmon\'s image fields do.';

const INITIATING = {
  Image: { expr: 'InitiatingProcessFolderPath', note: PATH_NOTE },
  ProcessId: { expr: 'InitiatingProcessId', numeric: true },
  User: {
    expr: 'strcat(InitiatingProcessAccountDomain, @"\\", InitiatingProcessAccountName)',
    note: 'User is rebuilt as InitiatingProcessAccountDomain\\InitiatingProcessAccountName; Defender may spell the domain differently from Sysmon (e.g. "nt authority").',
  },
  Computer: { expr: 'DeviceName', note: 'Computer is DeviceName, which Defender writes as the fully qualified name in lower case.' },
} satisfies Record<string, DefenderColumn>;

export const DEFENDER_TABLES: Readonly<Record<number, DefenderTable>> = {
  1: {
    table: 'DeviceProcessEvents',
    columns: {
      Image: { expr: 'FolderPath', note: PATH_NOTE },
      CommandLine: { expr: 'ProcessCommandLine' },
      OriginalFileName: { expr: 'ProcessVersionInfoOriginalFileName' },
      Description: { expr: 'ProcessVersionInfoFileDescription' },
      Product: { expr: 'ProcessVersionInfoProductName' },
      Company: { expr: 'ProcessVersionInfoCompanyName' },
      IntegrityLevel: { expr: 'ProcessIntegrityLevel' },
      ProcessId: { expr: 'ProcessId', numeric: true },
      LogonId: { expr: 'LogonId', numeric: true },
      User: {
        expr: 'strcat(AccountDomain, @"\\", AccountName)',
        note: 'User is rebuilt as AccountDomain\\AccountName; Defender may spell the domain differently from Sysmon (e.g. "nt authority").',
      },
      ParentImage: { expr: 'InitiatingProcessFolderPath', note: PATH_NOTE },
      ParentCommandLine: { expr: 'InitiatingProcessCommandLine' },
      ParentProcessId: { expr: 'InitiatingProcessId', numeric: true },
      ParentUser: {
        expr: 'strcat(InitiatingProcessAccountDomain, @"\\", InitiatingProcessAccountName)',
        note: 'ParentUser is rebuilt as InitiatingProcessAccountDomain\\InitiatingProcessAccountName.',
      },
      Computer: INITIATING.Computer,
    },
  },
  3: {
    table: 'DeviceNetworkEvents',
    columns: {
      ...INITIATING,
      DestinationIp: { expr: 'RemoteIP' },
      DestinationPort: { expr: 'RemotePort', numeric: true },
      DestinationHostname: { expr: 'RemoteUrl', note: 'DestinationHostname is RemoteUrl, which Defender fills only for some connections.' },
      SourceIp: { expr: 'LocalIP' },
      SourcePort: { expr: 'LocalPort', numeric: true },
    },
  },
  7: {
    table: 'DeviceImageLoadEvents',
    columns: { ...INITIATING, ImageLoaded: { expr: 'FolderPath', note: PATH_NOTE } },
  },
  11: {
    table: 'DeviceFileEvents',
    actionTypes: ['FileCreated'],
    columns: { ...INITIATING, TargetFilename: { expr: 'FolderPath', note: PATH_NOTE } },
  },
};
