import * as vscode from 'vscode';

/**
 * The editors of the window as a fixture scope found them, and how to put them back touching only what changed
 * since. Tabs are compared by group and what they show, never by label: a suite's tab is never closed because a
 * later scope opened the same file, and a tab of an earlier suite (say a preview of `math.ts`) that a test replaced or
 * closed is opened again.
 */
export interface EditorState {
  readonly tabs: readonly TabRecord[];
  /** The key of the active tab, if any. */
  readonly active: string | undefined;
  /** Documents that had unsaved changes already: left as they are. */
  readonly dirty: ReadonlySet<string>;
}

export interface TabRecord {
  /** Group and what the tab shows: the same key means the same tab. */
  readonly key: string;
  readonly isPreview: boolean;
  readonly viewColumn: vscode.ViewColumn;
  /** What reopening it shows; only text tabs can be reopened. */
  readonly uri: vscode.Uri | undefined;
}

export function editorState(): EditorState {
  const active = vscode.window.tabGroups.activeTabGroup.activeTab;
  return {
    tabs: allTabs().map(record),
    active: active && tabKey(active),
    dirty: new Set(vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.toString())),
  };
}

/**
 * Puts the editors back as `before` found them: documents that got unsaved changes since are reverted (so that no
 * save prompt can open), tabs opened since are closed, tabs open before and gone since are opened again as they were
 * (preview or not, in their group), and the tab active before is active again.
 */
export async function restoreEditors(before: EditorState): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty && !before.dirty.has(d.uri.toString()))) {
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  const keys = new Set(before.tabs.map((t) => t.key));
  const opened = allTabs().filter((tab) => !keys.has(tabKey(tab)));
  if (opened.length) await vscode.window.tabGroups.close(opened);
  const open = new Set(allTabs().map(tabKey));
  for (const tab of before.tabs.filter((t) => !open.has(t.key))) await show(tab, true);
  const active = vscode.window.tabGroups.activeTabGroup.activeTab;
  const wasActive = before.tabs.find((t) => t.key === before.active);
  if (wasActive && (!active || tabKey(active) !== wasActive.key)) await show(wasActive, false);
}

async function show(tab: TabRecord, preserveFocus: boolean): Promise<void> {
  if (!tab.uri) throw new Error(`the tab ${tab.key} was closed and only text tabs can be opened again`);
  await vscode.window.showTextDocument(tab.uri, { viewColumn: tab.viewColumn, preview: tab.isPreview, preserveFocus });
}

function allTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs);
}

function record(tab: vscode.Tab): TabRecord {
  return { key: tabKey(tab), isPreview: tab.isPreview, viewColumn: tab.group.viewColumn, uri: tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined };
}

function tabKey(tab: vscode.Tab): string {
  const input = tab.input;
  const shows =
    input instanceof vscode.TabInputText ? `text ${input.uri.toString()}`
    : input instanceof vscode.TabInputTextDiff ? `diff ${input.original.toString()} ${input.modified.toString()}`
    : input instanceof vscode.TabInputCustom ? `custom ${input.viewType} ${input.uri.toString()}`
    : input instanceof vscode.TabInputWebview ? `webview ${input.viewType}`
    : `other ${tab.label}`;
  return `group ${tab.group.viewColumn}: ${shows}`;
}
