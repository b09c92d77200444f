import type { WebviewMessage } from '../protocol/messages';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

/** The only way the webview talks to the host: typed messages of the shared protocol. */
export function send(message: WebviewMessage): void {
  api.postMessage(message);
}
