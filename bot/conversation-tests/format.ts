/**
 * Conversation tests: scripted conversations in YAML, one file holding any number of them —
 *
 *   - name: track an order named in the first message
 *     locale: en                        # the conversation's language (default en)
 *     turns:
 *       - say: Where is my order LM202611280042?   # what the customer writes …
 *         reply: [SF Express, SF1409235588]        # … the reply contains each of these (any of its messages)
 *         not_reply: [couldn't find]               # … and none of these
 *         intent: order_status                     # the intent understand found
 *         flow: track_order                        # the flow the turn ran in (none: no flow)
 *         state: done                              # where it left it: waiting, done, cancelled, failed, digression, …
 *         slots: { order_number: LM202611280042 }  # the flow's slots after the turn (those named)
 *         handoff: false                           # whether the conversation went to a person
 *       - press: Yes                               # press a button of the last reply, by its label
 *
 * Mistakes are refused with the file, the line and what is wrong.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { Locale } from '../turn/types.ts';

export interface Expectations {
  reply?: string[];
  notReply?: string[];
  intent?: string;
  flow?: string;
  state?: string;
  slots?: Record<string, string>;
  handoff?: boolean;
}

export interface ScriptedTurn extends Expectations {
  /** What the customer writes, or the label of a button of the last reply they press. */
  say?: string;
  press?: string;
  line: number;
}

export interface ConversationTest {
  name: string;
  file: string;
  line: number;
  locale: Locale;
  turns: ScriptedTurn[];
}

const TURN_KEYS = ['say', 'press', 'reply', 'not_reply', 'intent', 'flow', 'state', 'slots', 'handoff'];

export function parseConversationTests(file: string, text: string): ConversationTest[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems: string[] = [];
  const at = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  const fail = (node: Node | null | undefined, what: string) => void problems.push(`${file}:${at(node)}: ${what}`);
  for (const e of doc.errors) problems.push(`${file}:${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
  const tests: ConversationTest[] = [];
  const root = doc.contents;
  if (!doc.errors.length && !isSeq(root)) fail(root, 'a conversation test file is a list of tests (- name: …, turns: …)');
  const str = (n: Node | undefined) => (isScalar(n) && n.value !== null && typeof n.value !== 'object' ? String(n.value) : undefined);
  const strings = (n: Node | undefined, what: string): string[] | undefined => {
    if (n === undefined) return undefined;
    if (isSeq(n) && n.items.every((i) => str(i as Node) !== undefined)) return n.items.map((i) => str(i as Node)!);
    const s = str(n);
    if (s === undefined) fail(n, `${what} must be a text or a list of texts`);
    return s === undefined ? undefined : [s];
  };
  for (const item of isSeq(root) ? (root.items as Node[]) : []) {
    if (!isMap(item)) {
      fail(item, 'a test is a mapping: name, locale, turns');
      continue;
    }
    const get = (m: YAMLMap, k: string) => m.get(k, true) as Node | undefined;
    for (const p of item.items) if (!['name', 'locale', 'turns'].includes(String((p.key as { value?: unknown }).value))) fail(p.key as Node, `unknown field '${String((p.key as { value?: unknown }).value)}' (a test has name, locale, turns)`);
    const name = str(get(item, 'name'));
    if (!name) fail(item, 'a test needs a name that says what it proves');
    const locale = str(get(item, 'locale')) ?? 'en';
    if (locale !== 'en' && locale !== 'zh') fail(get(item, 'locale'), "locale must be 'en' or 'zh'");
    const turnsNode = get(item, 'turns');
    const turns: ScriptedTurn[] = [];
    if (!isSeq(turnsNode) || !turnsNode.items.length) fail(turnsNode ?? item, 'turns must list what the customer says');
    for (const t of isSeq(turnsNode) ? (turnsNode.items as Node[]) : []) {
      if (!isMap(t)) {
        fail(t, 'a turn is a mapping: say (or press) and what to expect');
        continue;
      }
      for (const p of t.items) {
        const k = String((p.key as { value?: unknown }).value);
        if (!TURN_KEYS.includes(k)) fail(p.key as Node, `unknown field '${k}' (a turn has ${TURN_KEYS.join(', ')})`);
      }
      const say = str(get(t, 'say'));
      const press = str(get(t, 'press'));
      if ((say === undefined) === (press === undefined)) fail(t, 'a turn has either say (what the customer writes) or press (a button label)');
      const slotsNode = get(t, 'slots');
      let slots: Record<string, string> | undefined;
      if (slotsNode !== undefined) {
        if (!isMap(slotsNode)) fail(slotsNode, 'slots must map slot names to values');
        else slots = Object.fromEntries(slotsNode.items.map((p) => [String((p.key as { value?: unknown }).value), str(p.value as Node) ?? '']));
      }
      const handoffNode = get(t, 'handoff');
      if (handoffNode && !(isScalar(handoffNode) && typeof handoffNode.value === 'boolean')) fail(handoffNode, 'handoff must be true or false');
      turns.push({
        ...(say !== undefined ? { say } : {}),
        ...(press !== undefined ? { press } : {}),
        line: at(t),
        reply: strings(get(t, 'reply'), 'reply'),
        notReply: strings(get(t, 'not_reply'), 'not_reply'),
        intent: str(get(t, 'intent')),
        flow: str(get(t, 'flow')),
        state: str(get(t, 'state')),
        slots,
        handoff: isScalar(handoffNode) && typeof handoffNode.value === 'boolean' ? handoffNode.value : undefined,
      });
    }
    if (name) tests.push({ name, file, line: at(item), locale: locale as Locale, turns });
  }
  if (problems.length) throw new Error(`conversation tests refused:\n  ${problems.join('\n  ')}`);
  return tests;
}
