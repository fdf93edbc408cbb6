/**
 * The `minute` ... `year` modifiers: a part of a timestamp field, read as written. The spec says
 * they do no time-zone conversion, so a zone suffix is accepted and ignored.
 */
import { TimePart } from './modifiers';

const TIMESTAMP = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$/i;

/** The part of the timestamp `text` (`2019-03-02 08:51:00.008`, ISO 8601), or undefined when it is none. */
export function timePart(text: string, part: TimePart): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || hour > 23 || minute > 59) return undefined;
  switch (part) {
    case 'minute':
      return minute;
    case 'hour':
      return hour;
    case 'day':
      return day;
    case 'month':
      return month;
    case 'year':
      return year;
    case 'week':
      return isoWeek(d);
  }
}

/** ISO 8601 week number (weeks start on Monday; week 1 holds the year's first Thursday). */
function isoWeek(d: Date): number {
  const t = new Date(d.getTime());
  const weekday = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
}
