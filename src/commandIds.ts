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
} as const;
