/**
 * Reads a bot's flows (`flows/*.yaml`) and the services they call (`flows:` in bot.yaml), checks them and
 * compiles each flow's steps into a program (definition.ts). A mistake — an unknown slot, intent, action
 * or service, a bad URL template, a missing language — refuses the start with the file, the line and
 * what is wrong (every mistake at once).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { ACTION_OUTCOMES, type ActionDefinition, type Bilingual, type FlowBook, type FlowDefinition, type HttpMethod, type Op, type ServiceDefinition, type SlotDefinition } from './definition.ts';
import { placeholders } from './templates.ts';

export class FlowFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`flows refused:\n  ${problems.join('\n  ')}`);
  }
}

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const STEP_KINDS = ['ask', 'confirm', 'call', 'branch', 'reply', 'end', 'ask_again', 'handoff'];
const DEFAULT_IDLE_MINUTES = 30;

export interface LoadFlowsOptions {
  /** The intents the bot's model knows; a flow started by any other is refused. */
  intents: string[];
  /** The entity types kefu finds; a slot filled by any other is refused. */
  entityTypes: string[];
  /** `flows:` of bot.yaml (services, idleMinutes). */
  settings: unknown;
  env?: Record<string, string | undefined>;
}

/** The flows of a bot folder (none when it has no `flows/`). */
export function loadFlows(botDir: string, opts: LoadFlowsOptions): FlowBook {
  const problems: string[] = [];
  const { services, idleMinutes } = readSettings(opts.settings, opts.env ?? process.env, problems);
  const dir = join(botDir, 'flows');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  const flows: FlowDefinition[] = [];
  for (const f of files) {
    const flow = readFlow(join(dir, f), readFileSync(join(dir, f), 'utf8'), { ...opts, services }, problems);
    if (flow && flows.some((other) => other.name === flow.name)) problems.push(`${flow.file}: a flow named '${flow.name}' is already defined`);
    else if (flow) flows.push(flow);
  }
  if (problems.length) throw new FlowFileError(problems);
  return { flows, services, idleMinutes };
}

function readSettings(raw: unknown, env: Record<string, string | undefined>, problems: string[]): { services: Map<string, ServiceDefinition>; idleMinutes: number } {
  const services = new Map<string, ServiceDefinition>();
  const s = (raw ?? {}) as { services?: Record<string, { url?: unknown; headers?: Record<string, unknown> }>; idleMinutes?: unknown };
  for (const [name, svc] of Object.entries(s.services ?? {})) {
    const where = `bot.yaml flows.services.${name}`;
    const url = svc?.url;
    if (typeof url !== 'string' || !/^(?:https?:\/\/[^\s{}/]+|self)(?:\/[^\s{}]*)?$/.test(url)) {
      problems.push(`${where}.url must be an http(s) URL, or 'self' (kefu's own address) with an optional path`);
      continue;
    }
    const headers: Record<string, string> = {};
    for (const [h, v] of Object.entries(svc.headers ?? {})) {
      const missing: string[] = [];
      const value = String(v).replace(/\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, n: string) => env[n] ?? (missing.push(n), ''));
      if (missing.length) problems.push(`${where}.headers.${h}: the environment variable ${missing.join(', ')} is not set`);
      headers[h.toLowerCase()] = value;
    }
    services.set(name, { url: url.replace(/\/$/, ''), headers });
  }
  const idle = s.idleMinutes ?? DEFAULT_IDLE_MINUTES;
  if (typeof idle !== 'number' || !(idle > 0)) problems.push('bot.yaml flows.idleMinutes must be a positive number of minutes');
  return { services, idleMinutes: typeof idle === 'number' && idle > 0 ? idle : DEFAULT_IDLE_MINUTES };
}

type Ctx = LoadFlowsOptions & { services: Map<string, ServiceDefinition> };

/** One flow file, checked and compiled; null (with its problems recorded) when it has mistakes. */
export function readFlow(file: string, text: string, ctx: Ctx, problems: string[]): FlowDefinition | null {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const before = problems.length;
  const at = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  const fail = (node: Node | null | undefined, what: string) => void problems.push(`${file}:${at(node)}: ${what}`);
  for (const e of doc.errors) problems.push(`${file}:${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
  if (doc.errors.length) return null;
  const root = doc.contents;
  if (!isMap(root)) {
    fail(root, 'a flow file is a mapping (flow, intents, slots, steps)');
    return null;
  }
  const get = (map: YAMLMap, key: string) => map.get(key, true) as Node | undefined;
  const str = (node: Node | undefined) => (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined);
  const bilingual = (node: Node | undefined, what: string, owner: Node): Bilingual | undefined => {
    if (!node) return void fail(owner, `${what} is missing (en and zh)`);
    if (!isMap(node)) return void fail(node, `${what} must give the text in each language (en: …, zh: …)`);
    const en = str(get(node, 'en'));
    const zh = str(get(node, 'zh'));
    if (!en || !zh) return void fail(node, `${what} needs both en and zh`);
    return { en, zh };
  };
  const known = (map: YAMLMap, keys: string[], what: string) => {
    for (const pair of map.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!keys.includes(k)) fail(pair.key as Node, `unknown ${what} '${k}' (expected ${keys.join(', ')})`);
    }
  };
  known(root, ['flow', 'title', 'intents', 'slots', 'actions', 'steps'], 'field');

  const name = str(get(root, 'flow'));
  if (!name || !/^[a-z][a-z0-9_]*$/.test(name)) fail(get(root, 'flow') ?? root, "'flow' must name the flow in lower case (e.g. track_order)");
  const title = bilingual(get(root, 'title'), 'title', root);

  const intentsNode = get(root, 'intents');
  const intents: string[] = [];
  if (!isSeq(intentsNode) || !intentsNode.items.length) fail(intentsNode ?? root, "'intents' must list the intents that start the flow");
  else
    for (const item of intentsNode.items as Node[]) {
      const intent = str(item);
      if (!intent || !ctx.intents.includes(intent)) fail(item, `unknown intent '${intent ?? ''}' (the bot's intents: ${ctx.intents.join(', ')})`);
      else intents.push(intent);
    }

  // slots
  const slots = new Map<string, SlotDefinition>();
  const slotsNode = get(root, 'slots');
  if (slotsNode && !isMap(slotsNode)) fail(slotsNode, "'slots' must be a mapping of slot names");
  for (const pair of isMap(slotsNode) ? slotsNode.items : []) {
    const slotName = isScalar(pair.key) ? String(pair.key.value) : '';
    const node = pair.value as Node;
    if (!isMap(node)) {
      fail(node ?? (pair.key as Node), `slot '${slotName}' must be a mapping (entity, pattern, ask, invalid, maxAttempts)`);
      continue;
    }
    known(node, ['entity', 'pattern', 'minLength', 'ask', 'invalid', 'maxAttempts'], `field of slot '${slotName}'`);
    const entity = str(get(node, 'entity'));
    if (entity !== undefined && !ctx.entityTypes.includes(entity)) fail(get(node, 'entity'), `slot '${slotName}': unknown entity '${entity}' (kefu finds: ${ctx.entityTypes.join(', ')})`);
    let pattern: RegExp | undefined;
    const p = str(get(node, 'pattern'));
    if (p !== undefined) {
      try {
        pattern = new RegExp(p, 'i');
      } catch (err) {
        fail(get(node, 'pattern'), `slot '${slotName}': pattern is not a regular expression (${(err as Error).message})`);
      }
    }
    const maxAttemptsNode = get(node, 'maxAttempts');
    const maxAttempts = maxAttemptsNode ? Number(str(maxAttemptsNode)) : 3;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) fail(maxAttemptsNode, `slot '${slotName}': maxAttempts must be a whole number, at least 1`);
    const minLengthNode = get(node, 'minLength');
    const minLength = minLengthNode ? Number(str(minLengthNode)) : undefined;
    if (minLength !== undefined && !(Number.isInteger(minLength) && minLength >= 0)) fail(minLengthNode, `slot '${slotName}': minLength must be a whole number`);
    const ask = bilingual(get(node, 'ask'), `slot '${slotName}': ask`, node);
    const invalid = bilingual(get(node, 'invalid'), `slot '${slotName}': invalid`, node);
    if (ask && invalid) slots.set(slotName, { name: slotName, entity, pattern, minLength, ask, invalid, maxAttempts });
  }
  const slotNames = isMap(slotsNode) ? slotsNode.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')) : [];

  /** A template's names must be slots or result fields. */
  const checkTemplate = (template: string, node: Node | undefined, what: string, allowResult = true) => {
    const found = placeholders(template);
    if ('error' in found) return fail(node, `${what}: ${found.error}`);
    for (const n of found.names) {
      if (n.startsWith('result.') && allowResult) continue;
      if (!slotNames.includes(n)) fail(node, `${what}: unknown slot '{${n}}' (the flow's slots: ${slotNames.join(', ') || 'none'})`);
    }
  };
  const checkBilingual = (b: Bilingual | undefined, node: Node | undefined, what: string) => b && (['en', 'zh'] as const).forEach((l) => checkTemplate(b[l], node, what));

  // actions
  const actions = new Map<string, ActionDefinition>();
  const actionsNode = get(root, 'actions');
  if (actionsNode && !isMap(actionsNode)) fail(actionsNode, "'actions' must be a mapping of action names");
  for (const pair of isMap(actionsNode) ? actionsNode.items : []) {
    const actionName = isScalar(pair.key) ? String(pair.key.value) : '';
    const node = pair.value as Node;
    if (!isMap(node)) {
      fail(node ?? (pair.key as Node), `action '${actionName}' must be a mapping (service, method, path, …)`);
      continue;
    }
    known(node, ['service', 'method', 'path', 'body', 'timeoutMs', 'retries'], `field of action '${actionName}'`);
    const service = str(get(node, 'service'));
    if (!service || !ctx.services.has(service)) fail(get(node, 'service') ?? node, `action '${actionName}': unknown service '${service ?? ''}' (bot.yaml flows.services: ${[...ctx.services.keys()].join(', ') || 'none'})`);
    const method = (str(get(node, 'method')) ?? 'GET').toUpperCase() as HttpMethod;
    if (!METHODS.includes(method)) fail(get(node, 'method'), `action '${actionName}': method must be one of ${METHODS.join(', ')}`);
    const path = str(get(node, 'path'));
    if (!path || !path.startsWith('/') || /\s/.test(path)) fail(get(node, 'path') ?? node, `action '${actionName}': bad URL template '${path ?? ''}' (a path after the service's URL, starting with '/')`);
    else checkTemplate(path, get(node, 'path'), `action '${actionName}': bad URL template`, false);
    const bodyNode = get(node, 'body');
    const body = bodyNode ? (bodyNode.toJSON() as Record<string, unknown>) : undefined;
    if (body !== undefined) {
      if (typeof body !== 'object' || body === null) fail(bodyNode, `action '${actionName}': body must be a mapping`);
      else for (const s of JSON.stringify(body).match(/"(?:[^"\\]|\\.)*"/g) ?? []) checkTemplate(JSON.parse(s) as string, bodyNode, `action '${actionName}': body`, false);
    }
    const timeoutMs = Number(str(get(node, 'timeoutMs')) ?? 2000);
    if (!(timeoutMs > 0 && timeoutMs <= 60_000)) fail(get(node, 'timeoutMs'), `action '${actionName}': timeoutMs must be between 1 and 60000`);
    const retries = Number(str(get(node, 'retries')) ?? 0);
    if (!(Number.isInteger(retries) && retries >= 0 && retries <= 5)) fail(get(node, 'retries'), `action '${actionName}': retries must be 0 to 5`);
    if (service && path) actions.set(actionName, { name: actionName, service, method, path, ...(body ? { body } : {}), timeoutMs, retries });
  }

  // steps → program
  const program: Op[] = [];
  const askedSlots = new Set<string>();
  const emit = (stepsNode: Node | undefined, owner: Node) => {
    if (!isSeq(stepsNode)) return fail(stepsNode ?? owner, 'steps must be a list (- ask: …, - call: …, - reply: …)');
    for (const step of stepsNode.items as Node[]) {
      if (!isMap(step) || !step.items.length) {
        fail(step, `a step is one of ${STEP_KINDS.join(', ')}`);
        continue;
      }
      const kind = isScalar(step.items[0]!.key) ? String(step.items[0]!.key.value) : '';
      const value = step.items[0]!.value as Node | undefined;
      const slotOf = () => {
        const slot = str(value);
        if (!slot || !slotNames.includes(slot)) fail(value ?? step, `${kind}: unknown slot '${slot ?? ''}' (the flow's slots: ${slotNames.join(', ') || 'none'})`);
        return slot ?? '';
      };
      switch (kind) {
        case 'ask': {
          known(step, ['ask'], 'field of an ask step');
          const slot = slotOf();
          askedSlots.add(slot);
          program.push({ op: 'ask', slot });
          break;
        }
        case 'ask_again': {
          known(step, ['ask_again'], 'field of an ask_again step');
          program.push({ op: 'ask_again', slot: slotOf() });
          break;
        }
        case 'confirm':
        case 'reply':
        case 'end':
        case 'handoff': {
          known(step, [kind], `field of a ${kind} step`);
          const text = bilingual(value, kind, step);
          checkBilingual(text, value, kind);
          if (text) program.push({ op: kind === 'end' ? 'reply' : kind, text });
          if (kind === 'end') program.push({ op: 'end' }); // says its text, and the flow is over
          break;
        }
        case 'call': {
          known(step, ['call', ...ACTION_OUTCOMES], 'field of a call step');
          const action = str(value);
          if (!action || !isMap(actionsNode) || !actionsNode.has(action)) fail(value ?? step, `call: unknown action '${action ?? ''}'`);
          const call: Op & { op: 'call' } = { op: 'call', action: action ?? '', on: {} };
          program.push(call);
          const jumps: (Op & { op: 'jump' })[] = [];
          for (const outcome of ACTION_OUTCOMES) {
            const handler = get(step, outcome);
            if (!handler) continue;
            call.on[outcome] = program.length;
            emit(handler, step);
            const jump: Op & { op: 'jump' } = { op: 'jump', to: -1 };
            program.push(jump);
            jumps.push(jump);
          }
          if (jumps.length) {
            // a success without a handler goes on after the handlers; another outcome without one fails the flow
            const after = program.length;
            call.on.ok ??= after;
            for (const j of jumps) j.to = after;
          }
          break;
        }
        case 'branch': {
          known(step, ['branch', 'cases', 'else'], 'field of a branch step');
          const on = str(value) ?? '';
          if (!/^result(\.[A-Za-z_]\w*)+$/.test(on) && !slotNames.includes(on)) fail(value ?? step, `branch: '${on}' is neither a slot nor a result field (result.status)`);
          const casesNode = get(step, 'cases');
          const branch: Op & { op: 'branch' } = { op: 'branch', on, cases: {} };
          program.push(branch);
          const jumps: (Op & { op: 'jump' })[] = [];
          const arm = (node: Node | undefined) => {
            emit(node, step);
            const jump: Op & { op: 'jump' } = { op: 'jump', to: -1 };
            program.push(jump);
            jumps.push(jump);
          };
          if (!isMap(casesNode)) fail(casesNode ?? step, 'branch: cases must map values to steps');
          for (const pair of isMap(casesNode) ? casesNode.items : []) {
            branch.cases[isScalar(pair.key) ? String(pair.key.value) : ''] = program.length;
            arm(pair.value as Node);
          }
          if (get(step, 'else')) {
            branch.else = program.length;
            arm(get(step, 'else'));
          }
          for (const j of jumps) j.to = program.length;
          break;
        }
        default:
          fail(step, `unknown step '${kind}' (a step is one of ${STEP_KINDS.join(', ')})`);
      }
    }
  };
  emit(get(root, 'steps'), root);
  program.push({ op: 'end' });
  for (const op of program) if (op.op === 'ask_again' && !askedSlots.has(op.slot)) problems.push(`${file}: ask_again: slot '${op.slot}' is never asked for`);

  if (problems.length > before || !name || !title) return null;
  return { name, file, title, intents, slots, actions, program };
}
