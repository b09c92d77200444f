import * as fs from 'node:fs';
import type { Frame } from 'playwright-core';

/**
 * CPU time of a frame's renderer main thread, from Linux's scheduler statistics (/proc/PID/task/PID/schedstat: time on
 * a CPU, in ns; a process's main thread has the process's id). Unlike the length of its tasks, it does not grow when
 * other work on the machine takes the CPU away from the frame, which is what made the streaming ratio move 2× with the
 * load. Undefined where /proc has no schedstat (not Linux): callers fall back to task durations.
 */
export interface CpuClock {
  /** The renderer process (its main thread has the same id). */
  readonly pid: number;
  /** CPU time of its main thread so far, ms. */
  ms(): number;
}

function readNumber(file: string, field: number): number | undefined {
  try {
    return Number(fs.readFileSync(file, 'utf8').split(' ')[field]);
  } catch {
    return undefined; // the process ended, or this is not Linux
  }
}

const mainThreadNs = (pid: number): number | undefined => readNumber(`/proc/${pid}/task/${pid}/schedstat`, 0);

function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: the parent id is the 2nd field after it.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Chromium renderer processes started (through the browser and its zygote) by this Node process. */
function ownRenderers(): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes('--type=renderer')) continue;
    for (let pid: number | undefined = Number(entry), hops = 0; pid && pid > 1 && hops < 8; pid = parentOf(pid), hops++) {
      if (pid === process.pid) {
        out.push(Number(entry));
        break;
      }
    }
  }
  return out;
}

/**
 * The CPU clock of `frame`'s renderer main thread, in ms. The renderer is the one of ours whose main thread gains by
 * far the most CPU time while the frame spins (the others are idle); if another one is busy too, it is tried again.
 */
export async function rendererCpuClock(frame: Frame): Promise<CpuClock | undefined> {
  if (mainThreadNs(process.pid) === undefined) return undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    // Right after a page opens, its other processes are still busy for a moment: start from a pause.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const candidates = ownRenderers();
    const before = candidates.map(mainThreadNs);
    await frame.evaluate(() => {
      const start = performance.now();
      while (performance.now() - start < 100) {
        // spin: the renderer that gains this CPU time is the frame's
      }
    });
    const gains = candidates.map((pid, i) => (mainThreadNs(pid) ?? 0) - (before[i] ?? 0));
    const order = gains.map((gain, i) => [gain, i]).sort((x, y) => y[0] - x[0]);
    const [best, second = [0, -1]] = order;
    if (process.env.IOI_BENCH_DEBUG) console.log('renderer CPU gains (ms):', candidates.map((pid, i) => `${pid}: ${(gains[i] / 1e6).toFixed(1)}`).join(', '));
    if (best && best[0] > 10e6 && best[0] > 3 * second[0]) {
      const pid = candidates[best[1]];
      return {
        pid,
        ms: () => {
          const ns = mainThreadNs(pid);
          if (ns === undefined) throw new Error(`renderer ${pid} is gone`);
          return ns / 1e6;
        },
      };
    }
  }
  return undefined;
}
