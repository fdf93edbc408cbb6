/**
 * The fast path equals the plain SAX path on the XML files of the corpus, whatever the chunk size
 * (fastPath.test.ts has the JSON ones; fastPathSupport.ts says why the split).
 */
import { corpusFastPathSuite, isXmlEntry } from './fastPathSupport';

describe('fast path equals plain SAX path', function () {
  corpusFastPathSuite(isXmlEntry, 'fast path equality, XML files');
});
