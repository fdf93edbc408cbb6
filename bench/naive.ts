/**
 * The naive baseline hunt (issue 4's "naive sax.createStream hunt"): what a user would write in an
 * afternoon. XML: fs.createReadStream piped into sax.createStream(true). NDJSON: readline + JSON.parse.
 * It knows only the shapes bench/generate.ts writes, and is the reference the project's hunt must beat.
 *
 * CLI: node out/bench/naive.js FILE   (prints the counts as JSON)
 */
import * as fs from 'fs';
import * as readline from 'readline';
import * as sax from 'sax';

export interface Counts {
  events: number;
  processCreates: number;
  matches: number;
}

const SYSMON = 'Microsoft-Windows-Sysmon';
const exe = (path: string | undefined) => {
  const p = path ?? '';
  return p.slice(Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/')) + 1).toLowerCase();
};
const isMatch = (image: string | undefined, parent: string | undefined) => exe(image) === 'cmd.exe' && exe(parent) === 'services.exe';

/** Sniffs the first bytes: '{' is NDJSON; '<Event' with no root before it is a wevtutil fragment run. */
async function sniff(path: string): Promise<'ndjson' | 'rooted' | 'fragments'> {
  const fd = await fs.promises.open(path, 'r');
  try {
    const { buffer, bytesRead } = await fd.read(Buffer.alloc(512), 0, 512, 0);
    const head = buffer.toString('utf8', 0, bytesRead).replace(/^\uFEFF?\s*/, '');
    if (head.startsWith('{')) return 'ndjson';
    return /^<Event[\s>]/.test(head) ? 'fragments' : 'rooted';
  } finally {
    await fd.close();
  }
}

export async function naiveSaxHunt(path: string): Promise<Counts> {
  const kind = await sniff(path);
  return kind === 'ndjson' ? naiveNdjsonHunt(path) : naiveXmlHunt(path, kind === 'fragments');
}

async function naiveXmlHunt(path: string, wrap: boolean): Promise<Counts> {
  const counts: Counts = { events: 0, processCreates: 0, matches: 0 };
  const parser = sax.createStream(true);
  // Per <Event>: System fields (RenderingInfo repeats Provider/Channel names, so only System counts).
  let inSystem = false, field: 'eid' | 'image' | 'parent' | undefined, text = '';
  let eventId = '', provider = '', image = '', parent = '';
  parser.on('opentag', (tag: sax.Tag | sax.QualifiedTag) => {
    const attrs = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case 'Event': eventId = provider = image = parent = ''; break;
      case 'System': inSystem = true; break;
      case 'Provider': if (inSystem) provider = attrs.Name ?? ''; break;
      case 'EventID': if (inSystem) field = 'eid'; break;
      case 'Data': field = attrs.Name === 'Image' ? 'image' : attrs.Name === 'ParentImage' ? 'parent' : undefined; break;
    }
    text = '';
  });
  parser.on('text', (t: string) => { if (field) text += t; });
  parser.on('closetag', (name: string) => {
    if (field === 'eid') eventId = text.trim();
    else if (field === 'image') image = text;
    else if (field === 'parent') parent = text;
    field = undefined;
    if (name === 'System') inSystem = false;
    else if (name === 'Event') {
      counts.events++;
      if (eventId === '1' && provider === SYSMON) {
        counts.processCreates++;
        if (isMatch(image, parent)) counts.matches++;
      }
    }
  });
  const input = fs.createReadStream(path, { highWaterMark: 1 << 16 });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    input.on('error', reject);
  });
  // wevtutil fragments have no root: a naive user wraps them in a synthetic one.
  if (wrap) {
    parser.write('<Root>');
    input.on('end', () => parser.end('</Root>'));
  }
  input.pipe(parser, { end: !wrap });
  await done;
  return counts;
}

/** The fields the naive NDJSON hunt reads (Winlogbeat/ECS, or flat nxlog/OTRF names); anything may be missing. */
interface NdjsonEvent {
  EventID?: string | number;
  SourceName?: string;
  Image?: string;
  ParentImage?: string;
  event?: { code?: string | number; provider?: string };
  winlog?: { event_id?: string | number; provider_name?: string };
  process?: { executable?: string; parent?: { executable?: string } };
}

async function naiveNdjsonHunt(path: string): Promise<Counts> {
  const counts: Counts = { events: 0, processCreates: 0, matches: 0 };
  const lines = readline.createInterface({ input: fs.createReadStream(path, { highWaterMark: 1 << 16 }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as NdjsonEvent;
    counts.events++;
    const code = String(o.event?.code ?? o.winlog?.event_id ?? o.EventID ?? '');
    const provider = o.winlog?.provider_name ?? o.event?.provider ?? o.SourceName;
    if (code === '1' && provider === SYSMON) {
      counts.processCreates++;
      if (isMatch(o.process?.executable ?? o.Image, o.process?.parent?.executable ?? o.ParentImage)) counts.matches++;
    }
  }
  return counts;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: naive FILE');
    process.exit(2);
  }
  const started = process.hrtime.bigint();
  naiveSaxHunt(file).then(
    (c) => console.log(JSON.stringify({ file, ...c, seconds: +(Number(process.hrtime.bigint() - started) / 1e9).toFixed(2) })),
    (err) => { console.error(err); process.exit(1); },
  );
}
