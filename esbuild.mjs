// Builds the two bundles: the extension (Node, CommonJS, `vscode` external) and the webview (browser, IIFE).
// `--production` minifies and drops source maps (what the VSIX ships); `--watch` rebuilds both on change.
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: 'none',
  logLevel: 'info',
};

const extension = {
  ...common,
  entryPoints: { extension: 'src/extension.ts' },
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
};

const webviewEntry = 'src/webview/main.ts';
const webview = fs.existsSync(webviewEntry)
  ? { ...common, entryPoints: { webview: webviewEntry }, outdir: 'dist', platform: 'browser', format: 'iife', target: 'es2022' }
  : undefined;

const configs = [extension, webview].filter(Boolean);
fs.rmSync('dist', { recursive: true, force: true });
if (watch) {
  for (const config of configs) await (await esbuild.context(config)).watch();
} else {
  await Promise.all(configs.map((config) => esbuild.build(config)));
}
