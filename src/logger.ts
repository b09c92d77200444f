import * as vscode from 'vscode';
import { redactSecret } from './core/redact';

/** The extension's log: a LogOutputChannel whose every line passes through redaction of known keys. */
export class Logger implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly logged = new vscode.EventEmitter<string>();
  /** Every line at every level, as written (after redaction). */
  readonly onDidLog = this.logged.event;

  constructor(private readonly secrets: () => readonly string[]) {
    this.channel = vscode.window.createOutputChannel('IO Intelligence', { log: true });
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
    this.logged.fire(line);
    return line;
  }

  dispose(): void {
    this.channel.dispose();
    this.logged.dispose();
  }
}
