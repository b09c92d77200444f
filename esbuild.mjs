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
  // The client (with the openai SDK) is its own file, required on first use: activation does not parse it.
  entryPoints: { extension: 'src/extension.ts', client: 'src/core/apiClient.ts' },
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
};

/** The codicons the chat view uses, cut out of @vscode/codicons' SVG sprite (a few KB instead of a 125 KB font). */
const CODICONS = ['arrow-down', 'edit', 'refresh', 'trash', 'export', 'history', 'sparkle', 'send', 'debug-stop', 'file-code', 'copy', 'insert', 'check', 'beaker', 'file', 'list-selection', 'files', 'issues', 'database', 'close', 'mention', 'references'];
const codiconsPlugin = {
  name: 'codicons',
  setup(build) {
    build.onResolve({ filter: /^virtual:codicons$/ }, () => ({ path: 'codicons', namespace: 'codicons' }));
    build.onLoad({ filter: /.*/, namespace: 'codicons' }, () => {
      const sprite = fs.readFileSync('node_modules/@vscode/codicons/dist/codicon.svg', 'utf8');
      const icons = {};
      for (const id of CODICONS) {
        const symbol = new RegExp(`<symbol[^>]*viewBox="([^"]+)"[^>]*id="${id}"[^>]*>([\\s\\S]*?)</symbol>`).exec(sprite);
        if (!symbol) throw new Error(`codicon ${id} not found`);
        icons[id] = `<svg viewBox="${symbol[1]}" fill="currentColor" aria-hidden="true">${symbol[2]}</svg>`;
      }
      return { contents: `export default ${JSON.stringify(icons)};`, loader: 'js' };
    });
  },
};

const webview = {
  ...common,
  entryPoints: { webview: 'src/webview/main.ts' },
  outdir: 'dist',
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  plugins: [codiconsPlugin],
};

const configs = [extension, webview].filter(Boolean);
fs.rmSync('dist', { recursive: true, force: true });
if (watch) {
  for (const config of configs) await (await esbuild.context(config)).watch();
} else {
  await Promise.all(configs.map((config) => esbuild.build(config)));
}
