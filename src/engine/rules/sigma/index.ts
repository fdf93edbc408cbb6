/**
 * Sigma rules (specification v2.1.0) compiled into the rule stage's CompiledRule: a rule file's
 * text in, rules out, and for every rule that cannot run as written, a SkippedRule with the
 * reason and its line. Nothing is approximated: correlations, aggregations, `near`,
 * placeholders, filters and regexes RE2 cannot run are skipped, never run with another meaning.
 */
import { scopesFor } from '../logsources';
import { Branch, CompiledRule, Detection, RuleEvent, Scope, SkippedRule } from '../rule';
import { compileDetection } from './detection';
import { SigmaError } from './errors';
import { lower } from './lower';
import { ruleInfo, textOf } from './metadata';
import { loadYaml, Position, YamlDoc } from './yamlDoc';

export { compileDetection } from './detection';
export { SigmaError } from './errors';
export { DEFAULT_LEVEL } from './metadata';

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Compiles a Sigma rule file; never throws: what cannot run is returned in `skipped`. */
export function compileSigmaText(text: string, file: string): { rules: CompiledRule[]; skipped: SkippedRule[] } {
  try {
    return compileFile(text, file);
  } catch (e) {
    // A defect of the compiler must not stop a hunt over a folder of rules.
    const reason = `internal error while compiling: ${e instanceof Error ? e.message : String(e)}`;
    return { rules: [], skipped: [{ source: file, category: 'internal error', reason }] };
  }
}

function compileFile(text: string, file: string): { rules: CompiledRule[]; skipped: SkippedRule[] } {
  const skip = (category: string, reason: string, at?: Position, doc?: unknown): { rules: []; skipped: SkippedRule[] } => {
    const d = isMap(doc) ? doc : {};
    const skipped: SkippedRule = { source: file, category, reason, line: at?.line, column: at?.column };
    if (d.id != null) skipped.id = textOf(d.id);
    if (d.title != null) skipped.title = textOf(d.title);
    return { rules: [], skipped: [skipped] };
  };
  const loaded = loadYaml(text);
  if ('error' in loaded) return skip('yaml', `YAML: ${loaded.error}`, loaded.position);
  const docs = loaded.docs.filter((d) => d.value !== null && d.value !== undefined);
  if (docs.length === 0) return skip('not a rule', 'the file holds no YAML document');
  if (docs.length > 1) {
    const corr = docs.find((d) => isMap(d.value) && 'correlation' in d.value);
    const first = corr ?? docs[1];
    const reason = corr
      ? 'correlation rule: it links several events, which this tool does not correlate'
      : `${docs.length} YAML documents in one file (a rule collection or correlation), which this tool does not run`;
    return skip('correlation', reason, corr ? corr.positionOf(['correlation']) : first.start, docs[0].value);
  }
  return compileRule(docs[0], file, skip);
}

type Skip = (category: string, reason: string, at?: Position, doc?: unknown) => { rules: []; skipped: SkippedRule[] };

function compileRule(doc: YamlDoc, file: string, skip: Skip): { rules: CompiledRule[]; skipped: SkippedRule[] } {
  const rule = doc.value;
  if (!isMap(rule)) return skip('not a rule', 'the document is not a map of rule attributes', doc.start);
  const at = (...path: (string | number)[]): Position | undefined => doc.positionOf(path);
  if ('correlation' in rule) {
    return skip('correlation', 'correlation rule: it links several events, which this tool does not correlate', at('correlation'), rule);
  }
  if ('filter' in rule && !('detection' in rule)) {
    return skip('filter', 'Sigma filter: it amends other rules and is not run on its own', at('filter'), rule);
  }
  if (!isMap(rule.logsource)) return skip('missing logsource', 'the rule has no logsource map', at('logsource'), rule);
  if (!isMap(rule.detection)) return skip('missing detection', 'the rule has no detection map', at('detection'), rule);
  if (rule.detection.condition === undefined || rule.detection.condition === null) {
    return skip('missing condition', 'the detection has no condition', at('detection'), rule);
  }
  const logsource = rule.logsource as { product?: string; category?: string; service?: string };
  const scopes = scopesFor(logsource);
  if (!Array.isArray(scopes)) return skip(scopes.category, scopes.reason, at('logsource'), rule);
  let detection: Detection;
  try {
    detection = compileDetection(rule.detection);
  } catch (e) {
    if (!(e instanceof SigmaError)) throw e;
    const where = e.path ? at('detection', ...e.path) : at('detection');
    return skip(e.category, e.message, where, rule);
  }
  const branches: Branch[] = scopes.map((scope) => ({ scope, detection: withWhere(detection, scope) }));
  return { rules: [{ info: ruleInfo(rule, file), branches }], skipped: [] };
}

/** The detection, also requiring the scope's field conditions (registry_delete's EventType). */
export function withWhere(detection: Detection, scope: Scope): Detection {
  const where = scope.where;
  if (!where) return detection;
  const conditions = Object.entries(where).map(([field, values]) => ({ field, values: new Set(values.map((v) => v.toLowerCase())) }));
  const holds = (e: RuleEvent): boolean =>
    conditions.every(({ field, values }) => {
      const v = e.get(field);
      return v !== undefined && values.has(lower(v));
    });
  return { matches: (e) => holds(e) && detection.matches(e), decidingField: (e) => detection.decidingField(e), literals: detection.literals, logic: detection.logic };
}
