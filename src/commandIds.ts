/** The chat's webview view, as contributed in package.json. */
export const CHAT_VIEW_ID = 'ioIntelligence.chatView';

/** Every command id of the extension, as contributed in package.json. */
export const CommandId = {
  explainSelection: 'ioIntelligence.explainSelection',
  rewriteSelection: 'ioIntelligence.rewriteSelection',
  addDocumentation: 'ioIntelligence.addDocumentation',
  acceptEdit: 'ioIntelligence.acceptEdit',
  rejectEdit: 'ioIntelligence.rejectEdit',
  openChat: 'ioIntelligence.openChat',
  newChat: 'ioIntelligence.newChat',
  stop: 'ioIntelligence.stop',
  cancelRewrite: 'ioIntelligence.cancelRewrite',
  showEditDiff: 'ioIntelligence.showEditDiff',
  setApiKey: 'ioIntelligence.setApiKey',
  clearApiKey: 'ioIntelligence.clearApiKey',
  selectModel: 'ioIntelligence.selectModel',
  showUsage: 'ioIntelligence.showUsage',
  toggleInlineCompletions: 'ioIntelligence.toggleInlineCompletions',
  addFileToChat: 'ioIntelligence.addFileToChat',
  rebuildIndex: 'ioIntelligence.rebuildIndex',
} as const;

/** Commands the extension registers for its own use (not contributed: not in the palette). */
export const InternalCommand = {
  /** Run by VS Code when the user accepts a completion (the item's command). */
  completionAccepted: 'ioIntelligence.completionAccepted',
  /** "Apply with Review" under an @io answer: the proposed code goes through the rewrite's review and write guard. */
  applyProposal: 'ioIntelligence.applyProposal',
} as const;

/** The commands of VS Code itself that the extension runs. */
export const BuiltinCommand = {
  /** Every view has a `<view id>.focus` command that opens its container and focuses it. */
  focusChatView: `${CHAT_VIEW_ID}.focus`,
  openSettings: 'workbench.action.openSettings',
  diff: 'vscode.diff',
  setContext: 'setContext',
  openWalkthrough: 'workbench.action.openWalkthrough',
} as const;
