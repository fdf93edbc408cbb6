// Event times in one format, ISO 8601 UTC, whatever the source wrote (the results view's rows).
import * as assert from 'assert';
import { isoTime, utcTimeKey } from '../../src/extension/eventTime';

describe('event times', () => {
  it('Sysmon UtcTime and a 7-digit SystemTime read as the same clock', () => {
    assert.strictEqual(isoTime('2019-04-30 20:26:51.793'), '2019-04-30T20:26:51.793Z');
    assert.strictEqual(isoTime('2019-04-30T20:26:51.7935890Z'), '2019-04-30T20:26:51.793Z');
    assert.strictEqual(isoTime('2019-04-30T20:26:51Z'), '2019-04-30T20:26:51.000Z');
  });

  it('an offset is turned into UTC', () => {
    assert.strictEqual(isoTime('2019-04-30T22:26:51.5+02:00'), '2019-04-30T20:26:51.500Z');
    assert.strictEqual(isoTime('2019-04-30T18:26:51.5-0200'), '2019-04-30T20:26:51.500Z');
  });

  it('sort keys keep 7 fraction digits, so they order across formats', () => {
    const keys = ['2019-04-30T20:26:51.7935890Z', '2019-04-30 20:26:51.793', '2019-04-30 20:26:50.999'].map(utcTimeKey);
    assert.deepStrictEqual([...keys].sort(), [keys[2], keys[1], keys[0]]);
  });

  it('text that is not a time is shown as it is, and has no key', () => {
    assert.strictEqual(isoTime('yesterday'), 'yesterday');
    assert.strictEqual(utcTimeKey('yesterday'), undefined);
    assert.strictEqual(isoTime(undefined), undefined);
  });
});
