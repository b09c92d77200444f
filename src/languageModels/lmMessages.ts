import * as vscode from 'vscode';
import type { ChatMessage } from '../core/streamEvents';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS } from '../core/tokens';

/** VS Code's chat messages as the chat completions API takes them: text parts joined, other parts left out. */
export function toChatMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): ChatMessage[] {
  return messages.map((message) => ({ role: message.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : 'user', content: textOf(message.content) }));
}

/** The text of a message's parts (a tool result's text too). */
export function textOf(parts: readonly unknown[]): string {
  return parts
    .map((part) => {
      if (part instanceof vscode.LanguageModelTextPart) return part.value;
      if (part instanceof vscode.LanguageModelToolResultPart) return textOf(part.content);
      return '';
    })
    .join('');
}

/** Cheap and local (VS Code asks often): the same estimate our own budgets use. */
export function countTokens(text: string | vscode.LanguageModelChatRequestMessage): number {
  return typeof text === 'string' ? estimateTokens(text) : estimateTokens(textOf(text.content)) + MESSAGE_OVERHEAD_TOKENS;
}
