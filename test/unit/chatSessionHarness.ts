/** A chat session wired to fakes: a scripted server, a manual clock, an in-memory store and ledger. */
import { ChatSession, type ChatStreamer, type SessionEvent } from '../../src/core/chat/chatSession';
import type { AttachedContext } from '../../src/core/context/contextPieces';
import { ConversationStore, type KeyValueStore } from '../../src/core/conversations';
import type { Attachment } from '../../src/core/domain';
import { describeModel, type ModelInfo } from '../../src/core/modelCatalog';
import type { Settings } from '../../src/core/settings';
import type { ChatRequest, StreamEvent, TokenUsage } from '../../src/core/streamEvents';

/** One answer of the fake server: events (a `gate` waits for the test to open it), or a failure thrown. */
export type ScriptStep =
  | StreamEvent
  | { readonly type: 'gate'; readonly gate: Gate }
  /** A chunk already on its way: delivered after the gate opens even if the request was aborted meanwhile. */
  | { readonly type: 'late'; readonly gate: Gate; readonly event: StreamEvent }
  | { readonly type: 'throw'; readonly error: unknown };

/** A point where a fake waits until the test opens it; `reached` tells the test that something waits there. */
export class Gate {
  private release!: () => void;
  private arrive!: () => void;
  readonly opened = new Promise<void>((resolve) => (this.release = resolve));
  readonly reached = new Promise<void>((resolve) => (this.arrive = resolve));

  open(): void {
    this.release();
  }

  wait(): Promise<void> {
    this.arrive();
    return this.opened;
  }
}

export const SETTINGS: Settings = {
  baseUrl: 'https://api.test/v1/',
  chatModel: 'Qwen/Qwen2.5-Coder-32B-Instruct',
  editModel: 'Qwen/Qwen2.5-Coder-32B-Instruct',
  completionModel: 'Qwen/Qwen2.5-Coder-32B-Instruct',
  temperature: 0.2,
  maxOutputTokens: 1024,
  showReasoning: true,
  requestTimeoutSeconds: 120,
  idleTimeoutSeconds: 30,
  fallbackModels: ['meta-llama/Llama-3.3-70B-Instruct'],
};

export const text = (t: string): StreamEvent => ({ type: 'content', text: t });
export const done: StreamEvent = { type: 'finish', reason: 'stop' };
export const usage = (total: number): StreamEvent => ({ type: 'usage', usage: { promptTokens: total - 1, completionTokens: 1, totalTokens: total, estimated: false } });

export interface Harness {
  readonly session: ChatSession;
  readonly events: SessionEvent[];
  readonly requests: ChatRequest[];
  readonly recorded: { model: string; usage: TokenUsage }[];
  readonly exhausted: Set<string>;
  readonly sleeps: number[];
  /** The settings each connection was made for. */
  readonly connected: Settings[];
  /** When set, marking a quota spent waits for this gate. */
  exhaustGate?: Gate;
  /** When set, recording usage fails with this error (a storage write failing). */
  recordFails?: Error;
  readonly store: ConversationStore;
  /** What the session logged as errors. */
  readonly errors: string[];
  settings: Settings;
  /** Scripts for the next requests, in order. */
  readonly scripts: ScriptStep[][];
  /** When set, connecting waits for this gate (the key read, the base-URL question). */
  connectGate?: Gate;
  /** When set, the next sleep waits for this gate instead of passing at once. */
  sleepGate?: Gate;
  /** When set, recording usage waits for this gate. */
  recordGate?: Gate;
  notices(): string[];
  /** When set, reads a question's attachments (the session is given a reader); `attachmentReads` counts the calls. */
  readAttachments?: (attachments: readonly Attachment[], question: string) => Promise<AttachedContext>;
  attachmentReads: number;
}

export function harness(options: { contextTokens?: number; settings?: Partial<Settings> } = {}): Harness {
  const values = new Map<string, unknown>();
  const kv: KeyValueStore = {
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: async (key, value) => void values.set(key, JSON.parse(JSON.stringify(value))),
  };
  const info = (model: string): ModelInfo => ({ ...describeModel(model), ...(options.contextTokens ? { contextTokens: options.contextTokens } : {}) });
  let ids = 0;
  let now = 1_000;
  const h: Harness = {
    events: [],
    requests: [],
    recorded: [],
    exhausted: new Set(),
    sleeps: [],
    connected: [],
    scripts: [],
    store: new ConversationStore(kv),
    errors: [],
    settings: { ...SETTINGS, ...options.settings },
    attachmentReads: 0,
    notices: () => h.events.flatMap((e) => (e.type === 'notice' && e.text ? [e.text] : [])),
    session: undefined as unknown as ChatSession,
  };
  const streamer: ChatStreamer = {
    async *streamChat(request, signal) {
      h.requests.push(request);
      const script = h.scripts.shift();
      if (!script) throw new Error(`no script for request ${h.requests.length}`);
      for (const step of script) {
        if (step.type === 'late') {
          await step.gate.wait();
          yield step.event;
          continue;
        }
        if (signal.aborted) throw abortError();
        if (step.type === 'throw') throw step.error;
        if (step.type !== 'gate') yield step;
        else if ((await Promise.race([step.gate.wait(), aborted(signal)]), signal.aborted)) throw abortError();
      }
    },
  };
  (h as { session: ChatSession }).session = new ChatSession({
    settings: () => h.settings,
    modelInfo: info,
    chatModels: () => ['Qwen/Qwen2.5-Coder-32B-Instruct', 'meta-llama/Llama-3.3-70B-Instruct', 'deepseek-ai/DeepSeek-R1-0528'].map(info),
    quota: {
      isExhausted: (model) => h.exhausted.has(model),
      markExhausted: async (model) => {
        h.exhausted.add(model);
        if (h.exhaustGate) await h.exhaustGate.wait();
      },
      record: async (model, spent) => {
        if (h.recordFails) throw h.recordFails;
        h.recorded.push({ model, usage: spent });
        if (h.recordGate) await h.recordGate.wait();
      },
    },
    store: h.store,
    connect: async (settings) => {
      h.connected.push(settings);
      if (h.connectGate) await h.connectGate.wait();
      return streamer;
    },
    clock: {
      now: () => ++now,
      sleep: async (ms, signal) => {
        h.sleeps.push(ms);
        const g = h.sleepGate;
        if (g) {
          h.sleepGate = undefined;
          await Promise.race([g.wait(), aborted(signal)]);
        }
        return !signal.aborted;
      },
    },
    newId: () => `id${++ids}`,
    readAttachments: async (attachments, question) => {
      h.attachmentReads++;
      if (!h.readAttachments) return { pieces: [], notes: [] };
      return h.readAttachments(attachments, question);
    },
    log: { info: () => undefined, warn: () => undefined, error: (message: string) => void h.errors.push(message) },
  });
  h.session.onEvent((event) => h.events.push(event));
  return h;
}

/** What fetch throws when its signal aborts; the session must read it as a stop, not a network failure. */
function abortError(): Error {
  const error = new Error('This operation was aborted');
  error.name = 'AbortError';
  return error;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}
