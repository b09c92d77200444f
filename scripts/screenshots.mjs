// `npm run screenshots`: runs the UI tests in the real VS Code and copies the screenshots README uses from
// test-results/ (ignored by git) into docs/images/ (committed, not shipped in the VSIX).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const USED_BY_README = ['explain-selection', 'follow-up', 'select-model', 'pending-rewrite', 'review-removed-lines', 'usage-status-bar', 'walkthrough', 'chat-default-light-modern', 'chat-default-dark-modern'];

const run = spawnSync(process.execPath, ['scripts/test.mjs', '--only', 'ui'], { cwd: root, stdio: 'inherit' });
fs.mkdirSync(path.join(root, 'docs', 'images'), { recursive: true });
for (const name of USED_BY_README) {
  const from = path.join(root, 'test-results', `${name}.png`);
  if (!fs.existsSync(from)) continue;
  fs.copyFileSync(from, path.join(root, 'docs', 'images', `${name}.png`));
  console.log(`docs/images/${name}.png updated`);
}
process.exit(run.status ?? 1);
