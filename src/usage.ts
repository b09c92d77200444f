import * as vscode from 'vscode';
import type { StatusItem } from './statusItem';
import { UsageView } from './usageView';
import { CommandId } from './commandIds';
import { formatTokens } from './core/modelCatalog';
import { inertText } from './core/notificationText';
import type { TokenUsage } from './core/streamEvents';
import { UsageLedger, type ModelUsage, type UsagePurpose } from './core/usageLedger';
import type { ModelRegistry } from './modelRegistry';
import { readSettings, SECTION } from './settings';
import { announceSetAside } from './setAsideNotice';

/** The daily usage ledger as the extension's surfaces see it: recording, warnings, and a change event. */
export class UsageService implements vscode.Disposable {
  readonly ledger: UsageLedger;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(globalState: vscode.Memento) {
    this.ledger = new UsageLedger(globalState);
  }

  async record(model: string, usage: TokenUsage, purpose: UsagePurpose = 'answer'): Promise<void> {
    const { crossedWarning, usage: today } = await this.ledger.record(model, usage, purpose);
    // Global state is shared: a newer version in another window can write figures this one cannot read.
    announceSetAside(this.ledger);
    this.changed.fire();
    if (crossedWarning && today.quota) {
      void vscode.window
        .showWarningMessage(
          // The model id comes from settings a workspace can set.
          inertText(`IO Intelligence: ${model} has used ${formatTokens(today.tokens)} of its ${formatTokens(today.quota)} free daily tokens (80 %). It resets at 00:00 UTC.`),
          'Show Usage',
        )
        .then((choice) => choice && vscode.commands.executeCommand(CommandId.showUsage));
    }
  }

  async recordAccepted(model: string): Promise<void> {
    await this.ledger.recordAccepted(model);
    this.changed.fire();
  }

  async markExhausted(model: string): Promise<void> {
    await this.ledger.markExhausted(model);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function describeUsage(usage: ModelUsage): string {
  const quota = usage.quota ? ` / ${usage.quota.toLocaleString('en')} (${((usage.tokens / usage.quota) * 100).toFixed(1)} %)` : '';
  const flags = [usage.estimated ? 'includes estimates' : '', usage.exhausted ? 'quota spent (server)' : ''].filter(Boolean).join(', ');
  return `${usage.tokens.toLocaleString('en')}${quota} tokens, ${usage.requests} request${usage.requests === 1 ? '' : 's'}${flags ? ` — ${flags}` : ''}`;
}

/**
 * Status bar: the chat model and today's use of its quota; click for every model's usage. Against the demo endpoint
 * of `npm start` it says "Demo" first, so that no answer is taken for IO Intelligence's.
 */
export function registerUsageSurfaces(context: vscode.ExtensionContext, usage: UsageService, models: ModelRegistry, status: StatusItem): void {
  const view = new UsageView(usage);
  const update = (): void => {
    const model = readSettings().chatModel;
    const today = usage.ledger.usageOf(model);
    const short = model.split('/').pop() ?? model;
    const of = today.quota ? ` / ${formatTokens(today.quota)}` : '';
    const demo = models.isDemo;
    const demoNote = demo ? `\nDemo: answers come from the local demo server (${readSettings().baseUrl}), not from IO Intelligence.` : '';
    const spokenQuota = today.quota ? ` of ${today.quota.toLocaleString('en')}` : '';
    status.set('usage', {
      icon: 'pulse',
      text: `${demo ? 'Demo · ' : ''}${short} · ${formatTokens(today.tokens)}${of}${today.estimated ? '~' : ''}`,
      tooltip: `IO Intelligence — ${model}${demoNote}\nToday (UTC): ${describeUsage(today)}\nClick for every model used today.`,
      spoken: `${demo ? 'Demo endpoint, ' : ''}${short}, ${today.tokens.toLocaleString('en')}${spokenQuota} tokens used today`,
      command: CommandId.showUsage,
      warning: usage.ledger.isExhausted(model),
    });
  };
  // Reading the ledger waits until activation has returned.
  const first = setTimeout(update, 0);
  context.subscriptions.push(
    { dispose: () => clearTimeout(first) },
    usage.onDidChange(update),
    models.onDidChangeDemo(update),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(`${SECTION}.chatModel`) && update()),
    view,
    vscode.commands.registerCommand(CommandId.showUsage, () => showUsage(usage, view)),
  );
}

/** Shows every model used today against its quota; returns the figures (for tests and callers). */
async function showUsage(usage: UsageService, view: UsageView): Promise<ModelUsage[]> {
  await view.show();
  return usage.ledger.today();
}
