/**
 * A flow as kefu runs it: what a bot's `flows/*.yaml` file says, checked and compiled into a short
 * program of steps (load.ts). Only `ask` and `confirm` wait for the customer; the other steps run at once.
 */
import type { Locale } from '../turn/types.ts';

/** A text in each language; `{slot}` and `{result.field}` are filled in (templates.ts). */
export type Bilingual = Record<Locale, string>;

export interface SlotDefinition {
  name: string;
  /** The entity type (bot/intents/entities.ts) that fills it from any message of the conversation; none: the customer's whole answer. */
  entity?: string;
  /** A value must match this (tested on the value as read). */
  pattern?: RegExp;
  minLength?: number;
  ask: Bilingual;
  /** Said when an answer does not fit, before the question again. */
  invalid: Bilingual;
  /** Answers that do not fit after which the bot stops asking and offers a person. */
  maxAttempts: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ActionDefinition {
  name: string;
  method: HttpMethod;
  /** The company's service it calls (`flows.services` in bot.yaml: base URL and headers). */
  service: string;
  /** The path after the service's base URL, with `{slot}` parts (each filled in URL-encoded). */
  path: string;
  /** The JSON body, its string values templates. */
  body?: Record<string, unknown>;
  timeoutMs: number;
  /** Extra tries after a failure; only idempotent methods (GET, PUT, DELETE) are ever tried again. */
  retries: number;
}

/** How an action ended: 2xx, 404, another 4xx (the company's system said no, with a reason), or it failed (5xx, network, time-out). */
export type ActionOutcome = 'ok' | 'not_found' | 'rejected' | 'failed';
export const ACTION_OUTCOMES: ActionOutcome[] = ['ok', 'not_found', 'rejected', 'failed'];

/** One step of the compiled program; `to` fields are indexes into the program. */
export type Op =
  | { op: 'ask'; slot: string }
  | { op: 'confirm'; text: Bilingual }
  | { op: 'call'; action: string; on: Partial<Record<ActionOutcome, number>> }
  | { op: 'branch'; on: string; cases: Record<string, number>; else?: number }
  | { op: 'reply'; text: Bilingual }
  | { op: 'ask_again'; slot: string }
  | { op: 'handoff'; text: Bilingual }
  | { op: 'jump'; to: number }
  | { op: 'end' };

export interface FlowDefinition {
  name: string;
  file: string;
  /** The intents that start it. */
  intents: string[];
  slots: Map<string, SlotDefinition>;
  actions: Map<string, ActionDefinition>;
  program: Op[];
  /** The button that starts the flow (and its label), e.g. after a help-centre answer. */
  title: Bilingual;
}

/** A company system the flows call: `flows.services.<name>` in bot.yaml. */
export interface ServiceDefinition {
  /** Base URL, or `self` and a path: kefu's own address (the demo orders API: `self/demo/api`). */
  url: string;
  /** Headers sent with every call, `{env:NAME}` already read from the environment. */
  headers: Record<string, string>;
}

/** Everything a bot's flows need: the flows, the services they call, how long an idle flow is kept. */
export interface FlowBook {
  flows: FlowDefinition[];
  services: Map<string, ServiceDefinition>;
  idleMinutes: number;
}
