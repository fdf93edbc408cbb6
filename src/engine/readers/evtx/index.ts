/** The native EVTX reader: chunks, records, ParsedRecord and XML. The hunt reads it through ../../evtxScan.ts. */
export { crc32 } from './crc32';
export { CHUNK_SIZE, chunkNumberAt, FILE_HEADER_SIZE, readChunk, readEvtxChunks, readEvtxFileChunks, readFileHeader } from './file';
export type { ChunkRange, EvtxChunk, EvtxFileHeader, EvtxRecordRef } from './file';
export type { EvtxProblem } from './problems';
export { decodeHead, decodeRecord, decodeRecordWalked, decodeSystem, headOf, plannedRecord, recordFieldsFromTree, renderRecordXml, xmlLocator } from './record';
export { plannedField, plannedFields, plannedHead, planRecord } from './plan';
export type { PlannedRecord } from './plan';
export type { EvtxHead, EvtxParsedRecord } from './record';
export { TemplateCache } from './binxml';
