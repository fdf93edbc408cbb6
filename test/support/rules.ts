/** Rule sets for tests written around one analytic: CAR-2014-05-002 alone, as the hunt loads it. */
import { compileSources } from '../../src/engine/rules/load';

/** CAR-2014-05-002 alone: the tests whose fixtures and ground truth count its matches. */
export const CAR_2014_05_002_ONLY = compileSources([{ kind: 'car', id: 'CAR-2014-05-002' }]);
