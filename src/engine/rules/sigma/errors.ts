/** The error a Sigma rule compiles to when it cannot run as written. */

/** Where in a detection map the trouble is: keys and list indexes, from the detection's root. */
export type DetectionPath = (string | number)[];

/**
 * A rule the compiler refuses, with a short category for totals (`bad condition`,
 * `unsupported modifier`, `regex`, ...). `path` locates the trouble inside the detection map;
 * compileSigmaText turns it into `line`/`column` of the rule file.
 */
export class SigmaError extends Error {
  category: string;
  line?: number;
  column?: number;
  path?: DetectionPath;

  constructor(category: string, message: string, path?: DetectionPath) {
    super(message);
    this.name = 'SigmaError';
    this.category = category;
    this.path = path;
  }
}
