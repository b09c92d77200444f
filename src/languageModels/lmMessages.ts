import * as vscode from 'vscode';
import type { ChatMessage, ToolCall, ToolDefinition } from '../core/streamEvents';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS } from '../core/tokens';

/**
 * VS Code's chat messages as the chat completions API takes them: text parts joined; an assistant's tool call parts
 * become its `tool_calls`, and a user message's tool result parts become `tool` messages (before its text, which
 * follows the results in VS Code's agent loop).
 */
export function toChatMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): ChatMessage[] {
  return messages.flatMap((message): ChatMessage[] => {
    const text = message.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
    if (message.role === vscode.LanguageModelChatMessageRole.Assistant) {
      const toolCalls = message.content.filter((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart).map(toWireCall);
      return [{ role: 'assistant', content: text, ...(toolCalls.length ? { toolCalls } : {}) }];
    }
    const results = message.content.filter((p): p is vscode.LanguageModelToolResultPart => p instanceof vscode.LanguageModelToolResultPart);
    const toolMessages: ChatMessage[] = results.map((r) => ({ role: 'tool', toolCallId: r.callId, content: textOf(r.content) }));
    return text || !results.length ? [...toolMessages, { role: 'user', content: text }] : toolMessages;
  });
}

/** The tools VS Code offers, as OpenAI function definitions. */
export function toToolDefinitions(tools: readonly vscode.LanguageModelChatTool[] | undefined): ToolDefinition[] {
  return (tools ?? []).map((tool) => ({ name: tool.name, description: tool.description, parameters: (tool.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } }));
}

/** A streamed call as VS Code's part: its arguments as an object (text that is not a JSON object is passed as `{ input }`). */
export function toToolCallPart(call: ToolCall): vscode.LanguageModelToolCallPart {
  return new vscode.LanguageModelToolCallPart(call.id, call.name, parseArguments(call.arguments));
}

function parseArguments(text: string): object {
  try {
    const parsed: unknown = JSON.parse(text || '{}');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : { input: parsed };
  } catch {
    return { input: text };
  }
}

function toWireCall(part: vscode.LanguageModelToolCallPart): ToolCall {
  return { id: part.callId, name: part.name, arguments: JSON.stringify(part.input ?? {}) };
}

/**
 * The text of a message's parts: a tool result's text too, and a prompt-tsx part (a tool's structured result) as
 * JSON, so that a tool's answer is never sent as nothing.
 */
export function textOf(parts: readonly unknown[]): string {
  return parts
    .map((part) => {
      if (part instanceof vscode.LanguageModelTextPart) return part.value;
      if (part instanceof vscode.LanguageModelToolResultPart) return textOf(part.content);
      if (part instanceof vscode.LanguageModelPromptTsxPart) return JSON.stringify(part.value);
      return '';
    })
    .join('');
}

/** Cheap and local (VS Code asks often): the same estimate our own budgets use. */
export function countTokens(text: string | vscode.LanguageModelChatRequestMessage): number {
  return typeof text === 'string' ? estimateTokens(text) : estimateTokens(textOf(text.content)) + MESSAGE_OVERHEAD_TOKENS;
}
