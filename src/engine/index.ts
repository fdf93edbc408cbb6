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
export { DEFAULT_IDLE_MS, WorkerPool, type WorkerPoolOptions, type WorkerPoolStats } from './workerPool';
export { huntFiles, type FilesHuntOptions, type FilesHuntResult } from './huntFiles';
export { findLogs, globMatcher, notALog, type FolderLogs } from './folder';
export { nearMissWords } from './explain';
export { nearMissesOfFile, nearMissesOfText, type MissedTest, type NearMissLimits, type NearMissReport, type RuleNearMisses } from './nearMiss';
export { eventFields, renderEvent, renderEventJson, renderEventXml, systemFields, type EventDocument, type EventField, type EventFormat, type EventLike } from './eventDocument';
export { RECORD_WINDOW, recordAt, type RecordAt, type RecordAtOptions } from './recordAt';
export { fieldsHolding, SEARCH_RULE_ID, searchFiles, searchRules, type SearchHit, type SearchOptions, type SearchResult, type SearchSpec } from './search';
export { DEFAULT_MAX_LINEAGE_PROCESSES, LineageIndex, MAX_LINEAGE_LIST } from './lineage';
export { CSV_COLUMNS, csvHeader, csvRow, neutralise, sarifLevel, toCsv, toSarif, type ExportItem, type SarifOptions } from './export';
export type { ParallelOptions } from './parallel';
export type { FormatName, HuntOptions, HuntProgress, HuntResult, HuntSummary } from './huntTypes';
export { baseName, FIELD_NAMES, isProcessCreate } from './model';
export type { FieldName, Lineage, LineageEntry, Malformed, Match, Position, ProcessFields, RecordPlace, SourceRange, SysmonEvent } from './model';
export { builtinRules, compileSources, loadRules, meetsLevel, ruleFiles } from './rules/load';
export type { LoadedRules, RuleSelection } from './rules/load';
export { LEVELS } from './rules/rule';
export type { CompiledRule, Level, RuleInfo, RuleSource, SkippedRule } from './rules/rule';
export { CAR_LIBRARY, findCarAnalytic } from './rules/car';
export { ANALYTICS, findAnalytic } from './analytics';
export type { Analytic } from './analytics';
export { carQueryRule, carSigmaId, findCarQueryRule, findTarget, generateQuery, QUERY_TARGETS, QueryUnsupported, sigmaQueryRule } from './queries';
export { layoutQuery } from './queries';
export type { GeneratedQuery, OptionNames, QueryOptionName, QueryOptions, QueryRule, QueryStyle, QueryTarget, TargetId } from './queries';
export { queryCoverage, queryRulesOf } from './queries/coverage';
export type { QueryCoverage, TargetCoverage } from './queries/coverage';
