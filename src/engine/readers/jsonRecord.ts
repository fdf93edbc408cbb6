/**
 * A JSON record as the hunt sees it: the metadata read at once, data and System fields built by
 * its shape only when asked for, and located on demand.
 */
import { Fields, isObject, Json, lostDigitsSeen, resetLostDigits, str, Where } from './jsonFields';
import { locateJsonValue, locateNestedJsonString } from './jsonLocate';
import { ParsedRecord, RecordError } from './record';

/** What the hunt reads of every record; the rest is built only when asked for. */
export interface Meta {
  eventId?: number;
  provider?: string;
  channel?: string;
  recordId?: string;
  computer?: string;
  /** What the shape parsed already to read the metadata (Sentinel's EventData), for data() to reuse. */
  parsed?: unknown;
}

/** How to read one JSON shape; the shapes are in jsonShapes.ts. */
export interface JsonShape {
  name: string;
  /** Does this object have this shape? Shapes are tried in order. */
  test(obj: Json): boolean;
  meta(obj: Json): Meta;
  /** Puts the EventData (and UserData) fields into `out`. */
  data(obj: Json, out: Fields, meta: Meta): void;
  /** Puts the System fields into `out`. */
  system(obj: Json, out: Fields, meta: Meta): void;
  /** The record's time, when the shape has one besides UtcTime. */
  time(obj: Json, data: () => Record<string, string>): unknown;
}

/**
 * A record whose data, system fields and time are built only when asked for: most records cannot
 * match, and the hunt then needs only the metadata. (A class, not an object literal with getters:
 * one is built per record, and this shape is cheaper to make.)
 */
export class LazyRecord implements ParsedRecord {
  eventId?: number;
  provider?: string;
  channel?: string;
  recordId?: string;
  computer?: string;
  parsed?: unknown;
  /** The record read again from a parse that keeps long numbers, used once building a value met one. */
  exact?: () => ParsedRecord;
  private reread?: ParsedRecord;
  private builtData?: Record<string, string>;
  private builtSystem?: Record<string, string>;
  private builtTime: string | undefined | null = null;
  private where?: Map<string, Where>;

  constructor(
    meta: Meta,
    private readonly shape: JsonShape,
    private readonly obj: Json,
    private readonly raw: string,
  ) {
    this.eventId = meta.eventId;
    this.provider = meta.provider;
    this.channel = meta.channel;
    this.recordId = meta.recordId;
    this.computer = meta.computer;
    this.parsed = meta.parsed;
  }

  /** The shape's data or system fields, or undefined when a long number was met and the record was read again. */
  private build(part: 'data' | 'system'): Record<string, string> | undefined {
    resetLostDigits();
    const out = new Fields();
    this.shape[part](this.obj, out, this);
    if (lostDigitsSeen() && this.exact) {
      this.reread = this.exact();
      return undefined;
    }
    return out.values;
  }

  get data(): Record<string, string> {
    if (this.reread) return this.reread.data;
    this.builtData ??= this.build('data');
    return this.builtData ?? this.reread!.data;
  }

  get system(): Record<string, string> {
    if (this.reread) return this.reread.system;
    this.builtSystem ??= this.build('system');
    return this.builtSystem ?? this.reread!.system;
  }

  get time(): string | undefined {
    if (this.reread) return this.reread.time;
    if (this.builtTime === null) {
      const data = () => this.data;
      resetLostDigits();
      const time = str(this.shape.time(this.obj, data)) ?? data().UtcTime;
      const reread = this.reread as ParsedRecord | undefined; // building data may have set it
      if (reread) return reread.time;
      if (lostDigitsSeen() && this.exact) return (this.reread = this.exact()).time;
      this.builtTime = time;
    }
    return this.builtTime;
  }

  locate(field: string): [number, number] | undefined {
    if (!this.where) {
      const data = new Fields(new Map());
      this.shape.data(this.obj, data, this);
      const system = new Fields(new Map());
      this.shape.system(this.obj, system, this);
      this.where = new Map([...system.where!, ...data.where!]);
    }
    const where = this.where.get(field);
    if (!where) return undefined;
    const span = where.outer ? locateNestedJsonString(this.raw, where.outer, where.path) : locateJsonValue(this.raw, where.path);
    return span && where.skip ? [span[0] + where.skip, span[1]] : span;
  }
}

const LONG_NUMBER = /\d{16}/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Quotes number tokens of 16 digits or more, so that they keep every digit as text. Only valid
 * number tokens outside strings are touched: what was invalid JSON stays invalid.
 */
export function quoteLongNumbers(text: string): string {
  let out = '';
  let copied = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < text.length && /[\d.eE+-]/.test(text[j])) j++;
      const token = text.slice(i, j);
      if (LONG_NUMBER.test(token) && JSON_NUMBER.test(token)) {
        out += `${text.slice(copied, i)}"${token}"`;
        copied = j;
      }
      i = j - 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** A JSON object from its text, or a RecordError saying why not. */
export function parseObject(text: string): Json {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new RecordError(`not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(obj)) throw new RecordError('not a JSON object');
  return obj;
}

