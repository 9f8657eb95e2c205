/**
 * Runs conversation tests (format.ts) against a running kefu through one channel's customer side
 * (customer-side.ts: the web channel's HTTP API for `kefu test`) — the real pipeline and store — each test
 * in a conversation of its own, and checks every turn's expectations against the replies the customer saw
 * and the turn itself (its intent and flow, as kefu's onTurn hook saw it).
 */
import { labelKey } from '../turn/payload.ts';
import type { Turn } from '../turn/types.ts';
import type { CustomerConversation, CustomerSide, SeenMessage, SeenTurn } from './customer-side.ts';
import type { ConversationTest, ScriptedTurn } from './format.ts';

export interface TestResult {
  test: ConversationTest;
  /** What did not hold, each with the line of the turn: empty when the test passed. */
  failures: string[];
  ms: number;
}

const shorten = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s).replace(/\n/g, ' ⏎ ');

/** What did not hold in one turn. */
export function check(expect: ScriptedTurn, replies: Pick<SeenMessage, 'text'>[], turn: Turn | undefined): string[] {
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

/** What the customer does in one scripted turn: writes, or presses a button of the last answer by its label. */
async function act(t: ScriptedTurn, conversation: CustomerConversation, last: SeenMessage[]): Promise<SeenTurn> {
  if (t.press === undefined) return conversation.say(t.say ?? '');
  const buttons = last.flatMap((m) => m.buttons);
  const button = buttons.find((b) => labelKey(b.label) === labelKey(t.press!));
  if (!button) throw new Error(`no button "${t.press}" under the last reply (buttons: ${buttons.map((b) => b.label).join(', ') || 'none'})`);
  return conversation.press(button);
}

export async function runConversationTest(test: ConversationTest, side: CustomerSide): Promise<TestResult> {
  const started = performance.now();
  const failures: string[] = [];
  let conversation: CustomerConversation;
  try {
    conversation = await side.open(test.locale);
  } catch (err) {
    return { test, failures: [`${test.file}:${test.line}: ${(err as Error).message}`], ms: 0 };
  }
  let last: SeenMessage[] = [];
  for (const t of test.turns) {
    let seen: SeenTurn;
    try {
      seen = await act(t, conversation, last);
    } catch (err) {
      failures.push(`${test.file}:${t.line}: ${(err as Error).message}`);
      break;
    }
    last = seen.replies;
    failures.push(...check(t, last, side.lastTurn(seen.conversationId)).map((f) => `${test.file}:${t.line}: ${f}`));
  }
  return { test, failures, ms: performance.now() - started };
}

/** Every test, one after another; the report's lines and whether all passed. */
export async function runConversationTests(tests: ConversationTest[], side: CustomerSide, onResult?: (r: TestResult) => void): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const test of tests) {
    const r = await runConversationTest(test, side);
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
