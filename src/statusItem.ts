import * as vscode from 'vscode';

/** What one feature says in the status bar item. */
export interface StatusPart {
  /** A codicon id (`sync~spin`); the first part that has one gives the item its icon. */
  readonly icon?: string;
  readonly text: string;
  readonly tooltip: string;
  /** Words for screen readers (codicon names are not read well). */
  readonly spoken: string;
  /** What a click does; the first part that has a command decides. */
  readonly command?: string | vscode.Command;
  readonly warning?: boolean;
}

/** Parts in the order they are shown: what is running first, then the model and its usage, then completions. */
const SLOTS = ['activity', 'usage', 'completions'] as const;
export type StatusSlot = (typeof SLOTS)[number];

/**
 * The extension's one status bar item: the model and today's usage, a running rewrite or a pending edit, and (later)
 * the state of completions, instead of an item per feature.
 */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ioIntelligence.status', vscode.StatusBarAlignment.Right, 100);
  private readonly parts = new Map<StatusSlot, StatusPart>();

  constructor() {
    this.item.name = 'IO Intelligence';
  }

  set(slot: StatusSlot, part: StatusPart | undefined): void {
    if (part) this.parts.set(slot, part);
    else this.parts.delete(slot);
    this.render();
  }

  /** What a slot shows now. */
  shown(slot: StatusSlot): StatusPart | undefined {
    return this.parts.get(slot);
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(): void {
    const parts = SLOTS.map((slot) => this.parts.get(slot)).filter((p): p is StatusPart => p !== undefined);
    if (!parts.length) return this.item.hide();
    const icon = parts.find((p) => p.icon)?.icon;
    this.item.text = `${icon ? `$(${icon}) ` : ''}${parts.map((p) => p.text).filter(Boolean).join(' · ')}`;
    this.item.tooltip = parts.map((p) => p.tooltip).join('\n\n');
    this.item.command = parts.find((p) => p.command)?.command;
    this.item.accessibilityInformation = { label: `IO Intelligence: ${parts.map((p) => p.spoken).join('; ')}`, role: 'button' };
    this.item.backgroundColor = parts.some((p) => p.warning) ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}
