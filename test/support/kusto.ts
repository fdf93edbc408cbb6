/**
 * Microsoft's Kusto language service (npm @kusto/language-service-next) in Node, offline: its
 * Bridge.NET runtime must be a global before the library loads. Tables are declared with their
 * documented columns, so a query naming a column the table lacks is an error too.
 */
import * as path from 'node:path';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-require-imports */

/** Sentinel's Event table (Azure Monitor, "Event" table reference). */
export const EVENT_SCHEMA =
  '(TenantId:string, SourceSystem:string, TimeGenerated:datetime, Source:string, EventLog:string, Computer:string, EventLevel:int, ' +
  'EventLevelName:string, ParameterXml:string, EventData:string, EventID:int, RenderedDescription:string, AzureDeploymentID:string, ' +
  'Role:string, EventCategory:int, UserName:string, Message:string, MG:string, ManagementGroupName:string, _ResourceId:string, Type:string)';

const INITIATING =
  'InitiatingProcessAccountDomain:string, InitiatingProcessAccountName:string, InitiatingProcessAccountSid:string, InitiatingProcessAccountUpn:string, ' +
  'InitiatingProcessAccountObjectId:string, InitiatingProcessIntegrityLevel:string, InitiatingProcessTokenElevation:string, InitiatingProcessSHA1:string, ' +
  'InitiatingProcessSHA256:string, InitiatingProcessMD5:string, InitiatingProcessFileName:string, InitiatingProcessFileSize:long, ' +
  'InitiatingProcessVersionInfoCompanyName:string, InitiatingProcessVersionInfoProductName:string, InitiatingProcessVersionInfoProductVersion:string, ' +
  'InitiatingProcessVersionInfoInternalFileName:string, InitiatingProcessVersionInfoOriginalFileName:string, InitiatingProcessVersionInfoFileDescription:string, ' +
  'InitiatingProcessId:long, InitiatingProcessCommandLine:string, InitiatingProcessCreationTime:datetime, InitiatingProcessFolderPath:string, ' +
  'InitiatingProcessParentId:long, InitiatingProcessParentFileName:string, InitiatingProcessParentCreationTime:datetime, InitiatingProcessLogonId:long, ' +
  'ReportId:long, AppGuardContainerId:string';

/** Defender XDR advanced hunting tables (Microsoft's schema reference), DeviceProcessEvents in full. */
export const DEFENDER_SCHEMAS: Record<string, string> = {
  DeviceProcessEvents:
    '(Timestamp:datetime, DeviceId:string, DeviceName:string, ActionType:string, FileName:string, FolderPath:string, SHA1:string, SHA256:string, ' +
    'MD5:string, FileSize:long, ProcessVersionInfoCompanyName:string, ProcessVersionInfoProductName:string, ProcessVersionInfoProductVersion:string, ' +
    'ProcessVersionInfoInternalFileName:string, ProcessVersionInfoOriginalFileName:string, ProcessVersionInfoFileDescription:string, ProcessId:long, ' +
    'ProcessCommandLine:string, ProcessIntegrityLevel:string, ProcessTokenElevation:string, ProcessCreationTime:datetime, AccountDomain:string, ' +
    'AccountName:string, AccountSid:string, AccountUpn:string, AccountObjectId:string, LogonId:long, ' +
    INITIATING +
    ', AdditionalFields:dynamic, InitiatingProcessSignerType:string, InitiatingProcessSignatureStatus:string)',
  DeviceNetworkEvents:
    '(Timestamp:datetime, DeviceId:string, DeviceName:string, ActionType:string, RemoteIP:string, RemotePort:int, RemoteUrl:string, LocalIP:string, ' +
    'LocalPort:int, Protocol:string, LocalIPType:string, RemoteIPType:string, ' +
    INITIATING +
    ', AdditionalFields:dynamic)',
  DeviceFileEvents:
    '(Timestamp:datetime, DeviceId:string, DeviceName:string, ActionType:string, FileName:string, FolderPath:string, SHA1:string, SHA256:string, MD5:string, ' +
    INITIATING +
    ', AdditionalFields:dynamic)',
  DeviceImageLoadEvents:
    '(Timestamp:datetime, DeviceId:string, DeviceName:string, ActionType:string, FileName:string, FolderPath:string, SHA1:string, SHA256:string, MD5:string, ' +
    INITIATING +
    ')',
};

let globals: any;

function kusto(): any {
  const g = globalThis as any;
  if (!g.Kusto) {
    const dir = path.dirname(require.resolve('@kusto/language-service-next/package.json'));
    g.Bridge = require(path.join(dir, 'bridge.js'));
    require(path.join(dir, 'Kusto.Language.Bridge.js'));
  }
  return g.Kusto.Language;
}

function state(): any {
  if (globals) return globals;
  const K = kusto();
  const S = K.Symbols;
  const tables = [new S.TableSymbol.$ctor7('Event', EVENT_SCHEMA, null), ...Object.entries(DEFENDER_SCHEMAS).map(([n, s]) => new S.TableSymbol.$ctor7(n, s, null))];
  const db = new S.DatabaseSymbol.ctor('db', tables);
  globals = K.GlobalState.Default.WithCluster(new S.ClusterSymbol.ctor('cluster', [db])).WithDatabase(db);
  return globals;
}

/** The errors (not warnings) the language service finds when it parses and analyses `query`. */
export function kustoErrors(query: string): string[] {
  const K = kusto();
  const code = K.KustoCode.ParseAndAnalyze(query, state());
  const diags = code.GetDiagnostics();
  const out: string[] = [];
  for (let i = 0; i < diags.Count; i++) {
    const d = diags.getItem(i);
    if (String(d.Severity) === 'Error') out.push(`${d.Message} at ${d.Start}: ${query.slice(d.Start, d.Start + 40)}`);
  }
  return out;
}
