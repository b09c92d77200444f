import { isEmbeddingModel } from './modelCatalog';
import type { CompletionUsage, ModelUsage } from './usageLedger';
import { msToUtcMidnight } from './utcMidnight';

const QUOTA_TABLE = ['| Model | Tokens today | Free daily quota | Used | Requests |', '| --- | ---: | ---: | ---: | ---: |'];

/**
 * Today's usage as a markdown page: one row per model against its free daily quota, and when the quotas reset; then
 * what inline completions took of it, against their own budget; then the embeddings of the @codebase index, whose
 * models have a quota of their own (50,000,000 tokens a day) that chat never touches.
 */
export function usageMarkdown(today: readonly ModelUsage[], now: Date, completions: readonly CompletionUsage[] = [], completionBudget?: number): string {
  const lines = ['# IO Intelligence usage today (UTC)', '', `Quotas reset at 00:00 UTC, in ${untilMidnight(now)}.`, ''];
  if (!today.length) return [...lines, 'No IO Intelligence requests today.', ''].join('\n');
  const answers = today.filter((u) => !isEmbeddingModel(u.model));
  const embeddings = today.filter((u) => isEmbeddingModel(u.model));
  if (!answers.length) lines.push('No chat, rewrite or completion requests today.', '');
  else {
    lines.push(...QUOTA_TABLE, ...answers.map(quotaRow));
    lines.push('', '"Estimated": the server sent no usage for some answers, so their tokens were counted from their length.', '');
    lines.push(...completionLines(completions, completionBudget));
  }
  return [...lines, ...embeddingLines(embeddings)].join('\n');
}

function quotaRow(u: ModelUsage): string {
  const used = u.quota ? `${((u.tokens / u.quota) * 100).toFixed(1)} %` : '—';
  const flags = [u.estimated ? 'estimated' : '', u.exhausted ? 'spent (the server said so)' : ''].filter(Boolean).join(', ');
  return `| ${modelCell(u.model)} | ${u.tokens.toLocaleString('en')}${flags ? ` (${flags})` : ''} | ${u.quota?.toLocaleString('en') ?? 'not documented'} | ${used} | ${u.requests} |`;
}

/** Completions apart: they are counted in the table above too, and against a budget of their own. */
function completionLines(completions: readonly CompletionUsage[], budget: number | undefined): string[] {
  const lines = ['## Inline completions', ''];
  if (!completions.length) return [...lines, 'No inline completions today.', ''];
  const of = budget === undefined ? '' : ` (daily budget ${budget.toLocaleString('en')} tokens per model)`;
  lines.push(`Included in the table above; completions stop at their own budget${of}, so chat and rewrite keep the rest.`, '');
  lines.push('| Model | Tokens today | Requests | Accepted |', '| --- | ---: | ---: | ---: |');
  for (const c of completions) lines.push(`| ${modelCell(c.model)} | ${c.tokens.toLocaleString('en')} | ${c.requests} | ${c.accepted} |`);
  return [...lines, ''];
}

/** The code the @codebase index sent to be embedded, against the embedding model's own daily quota. */
function embeddingLines(embeddings: readonly ModelUsage[]): string[] {
  const lines = ['## Codebase index embeddings', ''];
  if (!embeddings.length) return [...lines, 'No code was embedded today (only with `ioIntelligence.codebaseIndex.embeddings` on).', ''];
  return [...lines, ...QUOTA_TABLE, ...embeddings.map(quotaRow), ''];
}

function untilMidnight(now: Date): string {
  const minutes = Math.ceil(msToUtcMidnight(now.getTime()) / 60_000);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * Model ids come from the server: one is shown as code (no markup, no link), on one line, with `|` escaped (a table
 * splits its rows on it before reading code spans), in a span longer than any run of backticks in it.
 */
function modelCell(id: string): string {
  const flat = id.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  const fence = '`'.repeat(Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return `${fence} ${flat} ${fence}`;
}
