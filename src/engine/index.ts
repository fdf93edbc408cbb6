/**
 * The engine's one entry: what the CLI, the extension and the bench import. Nothing behind it
 * imports vscode; a face adapts these to its own world.
 */
export { huntEvtxFile, huntFile, huntText, huntSource, UnreadableInputError } from './hunt';
export { isEvtxFile } from './evtxScan';
export { locateInRecordXml, readEvtxChunkXml, readEvtxRecordXml, summarizeEvtxFile } from './evtxFile';
export type { EvtxSummary } from './evtxFile';
export { assertEvtxFile, dumpEvtx, DUMP_XML_HEAD, DUMP_XML_TAIL, type DumpCounts, type DumpFormat, type DumpOptions } from './dump';
export { huntFileParallel, MIN_PARALLEL_BYTES } from './parallel';
export type { ParallelOptions } from './parallel';
export type { FormatName, HuntOptions, HuntProgress, HuntResult, HuntSummary } from './huntTypes';
export { baseName, FIELD_NAMES, isProcessCreate } from './model';
export type { FieldName, Malformed, Match, Position, ProcessFields, RecordPlace, SourceRange, SysmonEvent } from './model';
export { builtinRules, compileSources, loadRules, meetsLevel, ruleFiles } from './rules/load';
export type { LoadedRules, RuleSelection } from './rules/load';
export { LEVELS } from './rules/rule';
export type { CompiledRule, Level, RuleInfo, RuleSource, SkippedRule } from './rules/rule';
export { CAR_LIBRARY, findCarAnalytic } from './rules/car';
export { ANALYTICS, findAnalytic } from './analytics';
export type { Analytic } from './analytics';
export { carQueryRule, carSigmaId, findCarQueryRule, findTarget, generateQuery, QUERY_TARGETS, QueryUnsupported, sigmaQueryRule } from './queries';
export type { GeneratedQuery, QueryOptions, QueryRule, QueryStyle, QueryTarget, TargetId } from './queries';
export { queryCoverage, queryRulesOf } from './queries/coverage';
export type { QueryCoverage, TargetCoverage } from './queries/coverage';
