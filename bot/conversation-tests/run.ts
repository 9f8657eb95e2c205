/**
 * Runs conversation tests (format.ts) against a running kefu through its web channel's HTTP API — the
 * real pipeline and store — each test in a conversation of its own, and checks every turn's expectations
 * against the replies and the turn itself (its intent and flow, as kefu's onTurn hook saw it).
 */
import { randomUUID } from 'node:crypto';
import type { QuickReply, Turn } from '../turn/types.ts';
import type { ConversationTest, ScriptedTurn } from './format.ts';

export interface TestTarget {
  /** kefu's address (the web channel serves /api). */
  url: string;
  /** The last finished turn of a conversation (KefuOptions.onTurn records them). */
  lastTurn(conversationId: string): Turn | undefined;
}

export interface TestResult {
  test: ConversationTest;
  /** What did not hold, each with the line of the turn: empty when the test passed. */
  failures: string[];
  ms: number;
}

interface WebMessage {
  text: string;
  quickReplies: QuickReply[];
}

async function post(url: string, path: string, body: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const shorten = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s).replace(/\n/g, ' ⏎ ');

/** What did not hold in one turn. */
export function check(expect: ScriptedTurn, replies: WebMessage[], turn: Turn | undefined): string[] {
  const failures: string[] = [];
  const said = replies.map((r) => r.text).join('\n');
  const lower = said.toLowerCase();
  for (const want of expect.reply ?? []) if (!lower.includes(want.toLowerCase())) failures.push(`the reply should contain "${want}"; it was "${shorten(said)}"`);
  for (const not of expect.notReply ?? []) if (lower.includes(not.toLowerCase())) failures.push(`the reply should not contain "${not}"; it was "${shorten(said)}"`);
  if (expect.intent !== undefined && turn?.understanding?.intent !== expect.intent) failures.push(`the intent should be ${expect.intent}; it was ${turn?.understanding?.intent ?? 'none'}`);
  const running = turn?.flow && turn.flow.status !== 'offered' ? turn.flow : undefined;
  if (expect.flow !== undefined && (running?.name ?? 'none') !== expect.flow) failures.push(`the flow should be ${expect.flow}; it was ${running?.name ?? 'none'}`);
  if (expect.state !== undefined && (running?.status ?? 'none') !== expect.state) failures.push(`the flow's state should be ${expect.state}; it was ${running?.status ?? 'none'}`);
  for (const [slot, value] of Object.entries(expect.slots ?? {})) {
    const got = running?.slots[slot];
    if (got !== value) failures.push(`slot ${slot} should be "${value}"; it was ${got === undefined ? 'empty' : `"${got}"`}`);
  }
  if (expect.handoff !== undefined) {
    const handedOver = !!turn?.replies.some((r) => r.handoff || r.handoffNotice);
    if (handedOver !== expect.handoff) failures.push(expect.handoff ? 'the conversation should have gone to a person; it did not' : 'the conversation went to a person; it should not have');
  }
  return failures;
}

export async function runConversationTest(test: ConversationTest, target: TestTarget): Promise<TestResult> {
  const started = performance.now();
  const failures: string[] = [];
  const opened = await post(target.url, '/api/conversations', { locale: test.locale });
  if (opened.status !== 201) return { test, failures: [`${test.file}:${test.line}: the web channel refused a new conversation (HTTP ${opened.status})`], ms: 0 };
  const { conversationId, token } = opened.json as { conversationId: string; token: string };
  let last: WebMessage[] = [];
  for (const t of test.turns) {
    let body: Record<string, unknown> = { text: t.say, clientMessageId: randomUUID() };
    if (t.press !== undefined) {
      const button = last.flatMap((m) => m.quickReplies).find((q) => q.label.toLowerCase() === t.press!.toLowerCase());
      if (!button) {
        failures.push(`${test.file}:${t.line}: no button "${t.press}" under the last reply (buttons: ${last.flatMap((m) => m.quickReplies.map((q) => q.label)).join(', ') || 'none'})`);
        break;
      }
      body = { text: button.label, payload: button.payload, clientMessageId: randomUUID() };
    }
    const sent = await post(target.url, `/api/conversations/${conversationId}/messages`, body, token);
    if (sent.status !== 200) {
      failures.push(`${test.file}:${t.line}: the web channel answered HTTP ${sent.status}: ${JSON.stringify(sent.json)}`);
      break;
    }
    last = (sent.json.replies as WebMessage[]) ?? [];
    failures.push(...check(t, last, target.lastTurn(conversationId)).map((f) => `${test.file}:${t.line}: ${f}`));
  }
  return { test, failures, ms: performance.now() - started };
}

/** Every test, one after another; the report's lines and whether all passed. */
export async function runConversationTests(tests: ConversationTest[], target: TestTarget, onResult?: (r: TestResult) => void): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const test of tests) {
    const r = await runConversationTest(test, target);
    onResult?.(r);
    results.push(r);
  }
  return results;
}

/** A readable report: one line a test (✓ or ✗), what failed under it, a summary line. */
export function report(results: TestResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.failures.length ? '✗' : '✓'} ${r.test.name}  (${r.test.locale}, ${r.test.turns.length} turns, ${Math.round(r.ms)} ms)`);
    for (const f of r.failures) lines.push(`    ${f}`);
  }
  const failed = results.filter((r) => r.failures.length).length;
  lines.push(`${results.length - failed} passed, ${failed} failed, ${results.length} conversations`);
  return lines;
}
