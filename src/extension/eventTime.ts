/**
 * An event's time in one format, ISO 8601 UTC (`2019-04-30T20:26:51.793Z`), whatever the source
 * wrote: Sysmon's UtcTime (`2019-04-30 20:26:51.793`, UTC without a zone), the System block's
 * SystemTime (`2019-04-30T20:26:51.7935890Z`), or a time with an offset.
 */

const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The time as a sortable UTC key with 7 fraction digits (`2019-04-30T20:26:51.7935890Z`);
 * undefined when the text is not a date and time.
 */
export function utcTimeKey(text: string | undefined): string | undefined {
  const m = text === undefined ? null : TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  const digits = fraction.padEnd(7, '0').slice(0, 7);
  if (zone.toUpperCase() === 'Z') return `${y}-${mo}-${d}T${h}:${mi}:${s}.${digits}Z`;
  const sign = zone[0] === '-' ? -1 : 1;
  const offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes * 60_000;
  if (Number.isNaN(ms)) return undefined;
  return `${new Date(ms).toISOString().slice(0, 19)}.${digits}Z`;
}

/** ISO 8601 UTC to the millisecond; the text as it was when it is not a date and time. */
export function isoTime(text: string | undefined): string | undefined {
  const key = utcTimeKey(text);
  return key ? `${key.slice(0, 23)}Z` : text;
}
