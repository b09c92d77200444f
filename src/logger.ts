import * as vscode from 'vscode';
import { redactSecret } from './core/redact';

/** The extension's log: a LogOutputChannel whose every line passes through redaction of known keys. */
export class Logger implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;

  /** In test mode, every line at every level as written (after redaction), for the key-leak scan. */
  readonly lines: string[] | undefined;

  constructor(
    private readonly secrets: () => readonly string[],
    keepLines = false,
  ) {
    this.channel = vscode.window.createOutputChannel('IO Intelligence', { log: true });
    this.lines = keepLines ? [] : undefined;
  }

  trace(message: string): void {
    this.channel.trace(this.clean(message));
  }
  debug(message: string): void {
    this.channel.debug(this.clean(message));
  }
  info(message: string): void {
    this.channel.info(this.clean(message));
  }
  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }
  error(message: string): void {
    this.channel.error(this.clean(message));
  }
  show(): void {
    this.channel.show(true);
  }

  private clean(message: string): string {
    const line = this.secrets().reduce((text, secret) => redactSecret(text, secret), redactSecret(message, undefined));
    this.lines?.push(line);
    return line;
  }

  dispose(): void {
    this.channel.dispose();
  }
}
