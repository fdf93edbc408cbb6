/** The native EVTX reader: chunks, records, ParsedRecord and XML. Not wired into the hunt yet (issue 10). */
export { crc32 } from './crc32';
export { CHUNK_SIZE, FILE_HEADER_SIZE, readChunk, readEvtxChunks, readEvtxFileChunks, readFileHeader } from './file';
export type { EvtxChunk, EvtxFileHeader, EvtxRecordRef } from './file';
export type { EvtxProblem } from './problems';
export { decodeHead, decodeRecord, decodeSystem, recordFieldsFromTree, renderRecordXml } from './record';
export type { EvtxHead, EvtxParsedRecord } from './record';
export { TemplateCache } from './binxml';
