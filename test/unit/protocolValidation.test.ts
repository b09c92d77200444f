import assert from 'node:assert/strict';
import { isOpenableLink, parseHostMessage, parseWebviewMessage } from '../../src/protocol/validate';

/** One valid message of every type the webview may send. */
const VALID_FROM_WEBVIEW = [
  { type: 'ready' },
  { type: 'send', text: 'Why?' },
  { type: 'stop' },
  { type: 'newChat' },
  { type: 'openConversation', id: 'c1' },
  { type: 'copyCode', code: 'x' },
  { type: 'insertCode', code: 'x' },
  { type: 'applyCode', code: 'x' },
  { type: 'openLink', href: 'https://example.com' },
  { type: 'revealQuote', turnId: 't1' },
  { type: 'runAction', action: 'retry', turnId: 't1' },
  { type: 'selectModel' },
  { type: 'mentionQuery', query: 'src/ap' },
  { type: 'attach', kind: 'file', uri: 'file:///w/a.ts' },
  { type: 'attach', kind: 'codebase' },
  { type: 'detach', id: 'c1' },
  { type: 'dropFiles', uris: ['file:///w/a.ts'] },
  { type: 'openReference', turnId: 't1', index: 0 },
];

describe('protocol: messages from the webview are checked before anything acts on them', () => {
  it('every message type is accepted in its valid shape', () => {
    for (const message of VALID_FROM_WEBVIEW) assert.deepEqual(parseWebviewMessage(message), message, message.type);
  });

  it('a missing field, a wrong type or an over-long text is dropped', () => {
    const broken: unknown[] = [
      { type: 'send' },
      { type: 'send', text: 42 },
      { type: 'send', text: '   ' },
      { type: 'send', text: 'x'.repeat(200_001) },
      { type: 'openConversation', id: 'x'.repeat(101) },
      { type: 'copyCode' },
      { type: 'insertCode', code: ['x'] },
      { type: 'openLink', href: 'x'.repeat(4_001) },
      { type: 'revealQuote', turnId: null },
      { type: 'runAction', action: 'deleteEverything', turnId: 't1' },
      { type: 'runAction', action: 'retry' },
      { type: 'mentionQuery', query: 'x'.repeat(501) },
      { type: 'attach', kind: 'secrets' },
      { type: 'attach', kind: 'file', uri: 42 },
      { type: 'detach' },
      { type: 'dropFiles', uris: 'file:///w/a.ts' },
      { type: 'dropFiles', uris: Array.from({ length: 101 }, () => 'file:///w/a.ts') },
      { type: 'openReference', turnId: 't1', index: -1 },
      { type: 'openReference', turnId: 't1', index: 0.5 },
    ];
    for (const message of broken) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message).slice(0, 80));
  });

  it('anything that is not a message, or names no known type, is dropped (prototype keys included)', () => {
    for (const value of [null, undefined, 'ready', 42, [], ['ready'], {}, { type: 7 }, { type: 'unknown' }, { type: '__proto__' }, { type: 'constructor' }, { type: 'toString' }, { type: 'hasOwnProperty' }]) {
      assert.equal(parseWebviewMessage(value), undefined, String(JSON.stringify(value)));
    }
  });
});

describe('protocol: messages from the host are checked by the webview', () => {
  it('each type is accepted in its shape and dropped without its fields', () => {
    const valid = [
      { type: 'state', state: { turns: [], history: [], attachments: [] } },
      { type: 'attachments', attachments: [] },
      { type: 'mentionOptions', query: '', options: [] },
      { type: 'turnAdded', turn: { id: 't1' } },
      { type: 'delta', turnId: 't1', content: 'a', reasoning: '' },
      { type: 'turnEnded', turn: { id: 't1' } },
      { type: 'notice', text: '' },
    ];
    for (const message of valid) assert.deepEqual(parseHostMessage(message), message, message.type);
    const broken = [
      { type: 'state', state: { turns: 'no', history: [], attachments: [] } },
      { type: 'state', state: { turns: [], history: [] } },
      { type: 'attachments' },
      { type: 'mentionOptions', query: 'a' },
      { type: 'turnAdded', turn: 'x' },
      { type: 'delta', turnId: 't1', content: 'a' },
      { type: 'turnEnded' },
      { type: 'notice' },
      { type: '__proto__' },
    ];
    for (const message of broken) assert.equal(parseHostMessage(message), undefined, JSON.stringify(message));
  });
});

describe('protocol: links from model output', () => {
  it('open only when they are http or https', () => {
    for (const href of ['https://example.com/a?b#c', 'http://localhost:3000']) assert.equal(isOpenableLink(href), true, href);
    for (const href of ['javascript:alert(1)', 'command:workbench.action.openSettings', 'file:///etc/passwd', 'vscode://x', 'data:text/html,x', '', 'not a url', '//example.com']) {
      assert.equal(isOpenableLink(href), false, href);
    }
  });
});
