// Bundles the two faces of the engine: the VS Code extension and the `log-hunt` CLI.
// Type checking is separate (`npm run typecheck`), because esbuild does not type-check.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

Promise.all([
  esbuild.build({ ...common, entryPoints: ['src/extension/activate.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } })
    // The `log-hunt` bin: executable however it was built (npm sets the mode only when it links it).
    .then(() => require('fs').chmodSync('dist/cli.js', 0o755)),
  // The parallel hunt's worker threads load this file from beside the bundle that starts them.
  esbuild.build({ ...common, entryPoints: ['src/engine/worker.ts'], outfile: 'dist/worker.js' }),
]).catch(() => process.exit(1));
