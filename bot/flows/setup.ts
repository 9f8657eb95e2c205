/**
 * The flows slice as the bot wires it: the bot's flows loaded and checked, the engine with its action
 * caller, the `flow` stage, and compose wrapped for flows (stage.ts).
 */
import { readBotYaml } from '../bot-config.ts';
import type { Locale, QuickReply, Stage, Turn } from '../turn/types.ts';
import { createActionCaller } from './actions.ts';
import { createEngine } from './engine.ts';
import { loadFlows } from './load.ts';
import { loadFlowMessages } from './messages.ts';
import { flowSlice } from './stage.ts';

export interface FlowsSetup {
  botDir: string;
  /** The intents the bot's model knows and the entity types kefu finds (flow files are checked against them). */
  intents: string[];
  entityTypes: string[];
  /** kefu's own address once it listens (services at `self`). */
  selfUrl: () => string;
  turnBudgetMs: (turn: Turn) => number;
  humanButton: (locale: Locale) => QuickReply;
}

export function setUpFlows(s: FlowsSetup): { stage: Stage; compose: (compose: Stage) => Stage } {
  const book = loadFlows(s.botDir, { intents: s.intents, entityTypes: s.entityTypes, settings: readBotYaml(s.botDir).flows });
  const messages = loadFlowMessages();
  const actions = createActionCaller(book.services, s.selfUrl);
  return flowSlice({ book, messages, turnBudgetMs: s.turnBudgetMs, engine: (deadline) => createEngine({ actions, messages, humanButton: s.humanButton, deadline }) });
}
