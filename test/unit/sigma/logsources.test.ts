/** logsource -> scopes, after thor.yml. */
import assert from 'node:assert/strict';
import { scopesFor } from '../../../src/engine/rules/logsources';
import { Scope } from '../../../src/engine/rules/rule';

const scopes = (ls: Record<string, string>): Scope[] => {
  const r = scopesFor(ls);
  assert.ok(Array.isArray(r), JSON.stringify(r));
  return r;
};
const SYSMON = { providers: ['microsoft-windows-sysmon'], channels: ['microsoft-windows-sysmon/operational'] };

describe('sigma logsources', () => {
  it('process_creation: Sysmon 1, and Security 4688 with thor.yml\'s renames', () => {
    assert.deepEqual(scopes({ product: 'windows', category: 'process_creation' }), [
      { eventIds: [1], ...SYSMON, label: 'Sysmon EventID 1' },
      {
        eventIds: [4688],
        providers: ['microsoft-windows-security-auditing'],
        channels: ['security'],
        label: 'Security 4688',
        renames: { Image: 'NewProcessName', ParentImage: 'ParentProcessName' },
      },
    ]);
  });

  it('category + service keeps that service\'s scopes only', () => {
    assert.deepEqual(scopes({ product: 'windows', category: 'process_creation', service: 'sysmon' }), [
      { eventIds: [1], ...SYSMON, label: 'Sysmon EventID 1' },
    ]);
    assert.deepEqual(scopes({ product: 'windows', category: 'process_creation', service: 'security' }).map((s) => s.label), ['Security 4688']);
    assert.equal((scopesFor({ product: 'windows', category: 'process_creation', service: 'system' }) as { category: string }).category, 'unknown logsource');
  });

  it('Sysmon categories map to their EventIDs', () => {
    const ids = (category: string): number[] | undefined => scopes({ product: 'windows', category })[0].eventIds;
    const table: [string, number[]][] = [
      ['file_change', [2]], ['network_connection', [3]], ['sysmon_status', [4, 16]], ['process_termination', [5]],
      ['driver_load', [6]], ['image_load', [7]], ['create_remote_thread', [8]], ['raw_access_thread', [9]],
      ['process_access', [10]], ['file_event', [11]], ['registry_event', [12, 13, 14]], ['registry_add', [12]],
      ['registry_delete', [12]], ['registry_set', [13]], ['registry_rename', [14]], ['create_stream_hash', [15]],
      ['pipe_created', [17, 18]], ['wmi_event', [19, 20, 21]], ['dns_query', [22]], ['file_delete', [23]],
      ['clipboard_capture', [24]], ['process_tampering', [25]], ['file_delete_detected', [26]],
      ['file_block_executable', [27]], ['file_block_shredding', [28]], ['file_executable_detected', [29]], ['sysmon_error', [255]],
    ];
    for (const [category, want] of table) assert.deepEqual(ids(category), want, category);
    assert.deepEqual(scopes({ product: 'windows', category: 'registry_add' })[0].where, { EventType: ['CreateKey'] });
    assert.equal(scopes({ product: 'windows', category: 'pipe_created' })[0].label, 'Sysmon EventID 17, 18');
  });

  it('services map to their channels; service sysmon is any Sysmon event', () => {
    assert.deepEqual(scopes({ product: 'windows', service: 'sysmon' }), [{ eventIds: undefined, ...SYSMON, label: 'Sysmon' }]);
    assert.deepEqual(scopes({ product: 'windows', service: 'system' }), [{ eventIds: undefined, providers: undefined, channels: ['system'], label: 'System' }]);
    assert.deepEqual(scopes({ product: 'windows', service: 'applocker' })[0].channels?.length, 4);
    assert.deepEqual(scopes({ product: 'windows', service: 'firewall-as' })[0].channels, [
      'microsoft-windows-windows firewall with advanced security/firewall',
    ]);
    assert.deepEqual(scopes({ product: 'windows', service: 'dns-server' })[0].channels, ['dns server']);
    assert.deepEqual(scopes({ product: 'windows', service: 'driver-framework' })[0].channels, [
      'microsoft-windows-driverframeworks-usermode/operational',
    ]);
    const ps = scopes({ product: 'windows', category: 'ps_script' })[0];
    assert.deepEqual([ps.eventIds, ps.channels, ps.label], [[4104], ['microsoft-windows-powershell/operational', 'powershellcore/operational'], 'PowerShell 4104']);
    assert.deepEqual(scopes({ product: 'windows', category: 'ps_classic_start' })[0].channels, ['windows powershell']);
  });

  it('antivirus runs on Windows Defender with thor.yml\'s renames', () => {
    const [av] = scopes({ category: 'antivirus' });
    assert.deepEqual(av.channels, ['microsoft-windows-windows defender/operational']);
    assert.deepEqual(av.renames, { Signature: 'ThreatName', Filename: 'Path' });
    assert.ok(av.eventIds?.includes(1116));
  });

  it('other products and unknown categories or services say why', () => {
    const why = (ls: Record<string, string>) => scopesFor(ls) as { category: string; reason: string };
    assert.equal(why({ product: 'linux', category: 'process_creation' }).category, 'not windows');
    assert.equal(why({ category: 'proxy' }).category, 'not windows');
    assert.equal(why({ product: 'windows', category: 'file_access' }).category, 'unknown logsource');
    assert.equal(why({ product: 'windows', category: 'no_such_thing' }).category, 'unknown logsource');
    assert.equal(why({ product: 'windows', service: 'no-such-service' }).category, 'unknown logsource');
    assert.match(why({ product: 'aws', service: 'cloudtrail' }).reason, /aws/);
    assert.deepEqual(scopes({ product: 'windows' }), [{ label: 'any Windows event' }]);
    assert.deepEqual(scopes({ product: 'Windows', category: 'Process_Creation' })[0].eventIds, [1], 'ignores case');
  });
});
