/** Sysmon events for the CAR 2019-2022 cases, before they are built: EventID and EventData. */

export type Fields = Record<string, string | number>;

export interface Sample {
  eventId: number;
  data: Fields;
}

/** One analytic's true positives and its near misses (same shape, one thing different), by what they show. */
export interface Case {
  id: string;
  hits: [string, Sample][];
  misses: [string, Sample][];
}

export const SYS32 = 'C:\\Windows\\System32';
export const PS = `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`;
export const CMD = `${SYS32}\\cmd.exe`;
export const USER_SID = 'S-1-5-21-1111111111-2222222222-3333333333-1001';

/** Process create (EventID 1). */
export const proc = (data: Fields): Sample => ({
  eventId: 1,
  data: { User: 'CORP\\alice', IntegrityLevel: 'Medium', CurrentDirectory: 'C:\\Users\\alice\\', ...data },
});

/** Process terminate (EventID 5). */
export const terminate = (data: Fields): Sample => ({ eventId: 5, data });

/** Network connection (EventID 3), outbound from an internal host unless overridden. */
export const net = (data: Fields): Sample => ({
  eventId: 3,
  data: { Protocol: 'tcp', Initiated: 'true', SourceIp: '10.0.0.15', SourcePort: 50123, DestinationPort: 443, ...data },
});

/** Create remote thread (EventID 8). */
export const thread = (data: Fields): Sample => ({ eventId: 8, data: { StartModule: '-', StartFunction: '-', ...data } });

/** Process access (EventID 10) to lsass.exe unless overridden. */
export const access = (data: Fields): Sample => ({
  eventId: 10,
  data: { SourceProcessId: 4242, TargetProcessId: 668, TargetImage: 'C:\\Windows\\system32\\lsass.exe', ...data },
});

/** File create (EventID 11). */
export const fileCreate = (image: string, targetFilename: string): Sample => ({
  eventId: 11,
  data: { Image: image, TargetFilename: targetFilename },
});

/** Registry value set (EventID 13). */
export const regSet = (targetObject: string, details: string, image = `${SYS32}\\reg.exe`): Sample => ({
  eventId: 13,
  data: { EventType: 'SetValue', Image: image, TargetObject: targetObject, Details: details },
});

/** Registry key or value create or delete (EventID 12). */
export const regObject = (eventType: 'CreateKey' | 'DeleteKey' | 'DeleteValue', targetObject: string): Sample => ({
  eventId: 12,
  data: { EventType: eventType, Image: `${SYS32}\\reg.exe`, TargetObject: targetObject },
});
