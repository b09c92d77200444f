import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import type { CompletionEngine, CompletionPause } from '../core/completions/completionEngine';
import { describeError } from '../core/errorText';
import { formatTokens } from '../core/modelCatalog';
import { inertText } from '../core/notificationText';
import { utcDay } from '../core/usageLedger';
import { atEachUtcMidnight } from '../core/utcMidnight';
import type { StatusPart } from '../statusItem';
import { SECTION } from '../settings';
import type { CompletionDeps } from './registerCompletions';
import { engineConfig, readCompletionSettings, type CompletionSettings } from './completionSettings';
import { offForFile } from './inlineProvider';

/** While paused by a failure that passes, the state is looked at again this often. */
const RECHECK_MS = 5_000;
const TOGGLE_HINT = 'IO Intelligence: Toggle Inline Completions switches them on or off.';

/**
 * Completions' part of the status bar item: on, off (and why), no key, or paused and why; a pause at the budget is told
 * once. Looked at again when the key, the settings, the active editor or the usage change, and at 00:00 UTC, when a
 * budget or quota pause of the day before ends by itself.
 */
export class CompletionStatus implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private recheck: NodeJS.Timeout | undefined;
  private readonly told = new Set<string>();
  private generation = 0;

  constructor(
    private readonly engine: CompletionEngine,
    private readonly deps: CompletionDeps,
  ) {
    this.subscriptions = [
      deps.usage.onDidChange(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      engine.onDidChange(() => this.update()),
      atEachUtcMidnight(() => this.update()),
    ];
    // Reading the key and the ledger waits until activation has returned.
    this.recheck = setTimeout(() => this.update(), 0);
  }

  update(): void {
    clearTimeout(this.recheck);
    const generation = ++this.generation;
    void this.deps.keys.get().then((key) => generation === this.generation && this.show(Boolean(key)));
  }

  dispose(): void {
    clearTimeout(this.recheck);
    for (const s of this.subscriptions) s.dispose();
    this.deps.status.set('completions', undefined);
  }

  private show(hasKey: boolean): void {
    const settings = readCompletionSettings(vscode.window.activeTextEditor?.document);
    const pause = this.engine.pause(engineConfig(settings));
    this.deps.status.set('completions', this.part(settings, hasKey, pause));
    if (pause?.reason === 'error') this.recheck = setTimeout(() => this.update(), RECHECK_MS);
    if (settings.enabled && hasKey && (pause?.reason === 'budget' || pause?.reason === 'quota')) this.tellPausedOnce(settings, pause.reason);
  }

  private part(settings: CompletionSettings, hasKey: boolean, pause: CompletionPause | undefined): StatusPart {
    const document = vscode.window.activeTextEditor?.document;
    if (!settings.enabled) {
      return { text: 'Completions off', spoken: 'inline completions off', tooltip: `Inline completions: off${document ? ` (for ${document.languageId})` : ''}.\n${TOGGLE_HINT}` };
    }
    if (!settings.inlineSuggest) {
      return { text: 'Completions off', spoken: 'inline completions off: editor.inlineSuggest.enabled is false', tooltip: 'Inline completions: off as you type — editor.inlineSuggest.enabled is false (Trigger Inline Suggestion still asks).' };
    }
    const offHere = document && offForFile(document, settings);
    if (offHere) return { text: 'Completions off', spoken: 'inline completions off for this file', tooltip: `Inline completions: off for this file: ${offHere.replace(/^it /, '')}. Nothing of it is sent.` };
    if (!hasKey) return { text: 'Completions: no key', spoken: 'inline completions wait for an API key', tooltip: 'Inline completions: waiting for an API key (IO Intelligence: Set API Key). Nothing is sent without one.' };
    const figures = this.figures(settings);
    if (!pause) return { text: '', spoken: 'inline completions on', tooltip: `Inline completions: on — ${settings.model}\n${figures}\n${TOGGLE_HINT}` };
    return { text: 'Completions paused', spoken: 'inline completions paused', tooltip: `Inline completions: paused — ${pauseText(pause, settings)}\n${figures}`, warning: true };
  }

  private figures(settings: CompletionSettings): string {
    const today = this.deps.usage.ledger.completionUsageOf(settings.model);
    return `Today (UTC): ${today.tokens.toLocaleString('en')} of ${settings.dailyTokenBudget.toLocaleString('en')} budget tokens, ${today.requests} requests, ${today.accepted} accepted.`;
  }

  /** Told once a day per model: what happened, what it protects, and the two ways on. */
  private tellPausedOnce(settings: CompletionSettings, reason: 'budget' | 'quota'): void {
    const key = `${utcDay(new Date())}:${settings.model}:${reason}`;
    if (this.told.has(key)) return;
    this.told.add(key);
    const raise = 'Raise Budget';
    const pick = 'Pick Completion Model';
    void vscode.window
      .showWarningMessage(inertText(`IO Intelligence: inline completions paused — ${pauseText({ reason }, settings)}`), raise, pick)
      .then((choice) => {
        if (choice === raise) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.inlineCompletions.dailyTokenBudget`);
        if (choice === pick) void vscode.commands.executeCommand(CommandId.selectModel, undefined, { target: 'completion' });
      });
  }
}

function pauseText(pause: CompletionPause, settings: CompletionSettings): string {
  switch (pause.reason) {
    case 'budget':
      return `they used their daily budget of ${formatTokens(settings.dailyTokenBudget)} tokens on ${settings.model}, so chat and rewrite keep the rest of its quota. They resume at 00:00 UTC; raise ioIntelligence.inlineCompletions.dailyTokenBudget or pick another completion model to go on today.`;
    case 'quota':
      return `${settings.model} has used its free daily quota. Completions resume at 00:00 UTC, or pick another completion model; they never move onto another model's quota by themselves.`;
    case 'reasoningModel':
      return `${settings.model} is a reasoning model: it thinks before it answers, far too slow and costly for ghost text. Pick another completion model (IO Intelligence: Select Model).`;
    case 'error':
      return pause.lasting
        ? `${describeError(pause.error)} They start again when the key or the completion model changes.`
        : `${describeError(pause.error)} They try again after a short wait, or when the key or settings change.`;
  }
}
