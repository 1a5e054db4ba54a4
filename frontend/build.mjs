// Builds the workbench's front-end bundles into app/static/build/ (run by scripts/setup, or `npm run build`):
//   minyi-modeler.js + .css   window.MinyiModeler (bpmn-js Modeler, properties panel, Minyi's properties)
//   minyi-diff.js + .css      window.MinyiDiff (two viewers and bpmn-js-differ)
// Self-contained IIFE bundles: no CDN, no further requests (the icon font is embedded in the CSS).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  absWorkingDir: root,
  entryPoints: { 'minyi-modeler': 'frontend/modeler.js', 'minyi-diff': 'frontend/diff.js' },
  outdir: 'app/static/build',
  bundle: true,
  format: 'iife',
  target: ['es2020'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  loader: { '.woff2': 'dataurl' },
  logLevel: 'warning',
});
