/**
 * Streamed replies checked in windows: text reaches the customer only once the guard has passed the
 * whole reply up to the end of that window, so nothing blocked is ever sent mid-stream. A window ends
 * at a sentence end; without one for `maxWindow` characters, at a space well behind the newest text
 * (never inside a number, an e-mail address or a word split by single letters).
 */
import type { Locale } from '../turn/types.ts';
import type { Guard } from './guard.ts';
import type { Verdict } from './rules.ts';

export interface StreamGuardOptions {
  locale: Locale;
  /** Characters without a sentence end after which a window is forced (default 240). */
  maxWindow?: number;
  /** Characters a forced window keeps back for the next one (default 48). */
  holdBack?: number;
}

export interface StreamEnd {
  /** The last text to send (empty when the stream was stopped). */
  text: string;
  verdict: Verdict;
  /** True when the guard blocked or escalated: send `reply` instead of anything further. */
  stopped: boolean;
  reply?: string;
  handoff?: boolean;
}

export interface StreamGuard {
  /** Adds a chunk of the draft; returns the text that may be sent now (often ''). */
  push(chunk: string): string;
  end(): StreamEnd;
  readonly stopped: boolean;
}

const HARD_END = /[。！？\n]/;

/** Index just after the last sentence end in `text` at or after `from`, or -1. */
export function lastSentenceEnd(text: string, from: number): number {
  for (let i = text.length - 1; i >= from; i--) {
    const ch = text[i]!;
    if (HARD_END.test(ch)) return i + 1;
    // ". " after a real word (not "r. e. f.") or a citation ("… day [1]. "), with the following space already received.
    if (/[.!?;]/.test(ch) && i + 1 < text.length && /\s/.test(text[i + 1]!) && i >= 2 && (/[\p{L}\p{N}]{2}/u.test(text.slice(i - 2, i)) || /\[\d{1,2}\]$/.test(text.slice(Math.max(0, i - 4), i)))) return i + 1;
  }
  return -1;
}

/** Index of a space at or before `limit` with no digit, '@' or lone letter on either side, or -1. */
export function safeBreak(text: string, from: number, limit: number): number {
  for (let i = Math.min(limit, text.length - 1); i > from + 1; i--) {
    if (!/\s/.test(text[i]!)) continue;
    const before = text.slice(Math.max(0, i - 2), i);
    const after = text.slice(i + 1, i + 3);
    if (/[\d@+]/.test(before + after)) continue;
    if (/(^|\s)\S$/.test(before) || /^\S(\s|$)/.test(after)) continue;
    return i + 1;
  }
  return -1;
}

export function createStreamGuard(guard: Guard, opts: StreamGuardOptions): StreamGuard {
  const maxWindow = opts.maxWindow ?? 240;
  const holdBack = opts.holdBack ?? 48;
  let raw = '';
  let checkedUpTo = 0;
  let sent = 0;
  let stopped = false;

  function release(upTo: number): string {
    const verdict = guard.checkOut(raw.slice(0, upTo), opts.locale);
    if (verdict.decision === 'block' || verdict.decision === 'escalate') {
      stopped = true;
      return '';
    }
    checkedUpTo = upTo;
    const out = verdict.body.slice(sent);
    sent = verdict.body.length;
    return out;
  }

  return {
    get stopped() {
      return stopped;
    },
    push(chunk) {
      if (stopped) return '';
      raw += chunk;
      let upTo = lastSentenceEnd(raw, checkedUpTo);
      if (upTo < 0 && raw.length - checkedUpTo > maxWindow) upTo = safeBreak(raw, checkedUpTo, raw.length - holdBack);
      return upTo > checkedUpTo ? release(upTo) : '';
    },
    end() {
      const verdict = guard.checkOut(raw, opts.locale);
      if (stopped || verdict.decision === 'block' || verdict.decision === 'escalate') {
        stopped = true;
        const handoff = verdict.decision === 'escalate';
        return {
          text: '',
          verdict,
          stopped: true,
          reply: verdict.reply ?? guard.text(handoff ? 'escalate' : 'safe-answer', opts.locale),
          ...(handoff ? { handoff } : {}),
        };
      }
      const rest = verdict.body.slice(sent) + (verdict.appendix ? `\n\n${verdict.appendix}` : '');
      sent = verdict.body.length;
      return { text: rest, verdict, stopped: false };
    },
  };
}
