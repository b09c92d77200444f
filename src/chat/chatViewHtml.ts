import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The chat webview's document: a strict CSP (`default-src 'none'`, scripts only with this load's nonce, styles and
 * fonts only from the bundle, no form submission), nothing remote. Links and images from model output are handled by
 * the webview code.
 */
export function chatViewHtml(webview: vscode.Webview, distUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'webview.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    // Answers are sanitized so that no form can exist; should one ever appear, it still cannot submit anywhere.
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>IO Intelligence Chat</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
