import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadBotConfig, readBotYaml } from './bot-config.ts';
import { createChat } from './chat.ts';
import { composeStage } from './compose/grounded.ts';
import { loadResponses } from './compose/responses.ts';
import { loadHelpCenter } from './content/help-articles.ts';
import { createAuditLog } from './compliance/audit.ts';
import { loadImageModerator, type ImageFeatures, type ImageModerator } from './compliance/image.ts';
import { loadGuard } from './compliance/load.ts';
import { redactPersonalData } from './compliance/personal-data.ts';
import { guardInStage, guardOutStage } from './compliance/stage.ts';
import { decideStage } from './decide/policy.ts';
import { setUpDemo } from './demo/setup.ts';
import { setUpFlows } from './flows/setup.ts';
import { createDrafts } from './generate/drafts.ts';
import { modelHealth } from './generate/health.ts';
import { adaptersOf, openModel } from './generate/open-model.ts';
import { loadPromptLibrary } from './generate/prompt-library.ts';
import { parseGenerationSettings } from './generate/settings.ts';
import { modelComposeStage } from './generate/stage.ts';
import { loadRecognizer, understandStage } from './intents/stage.ts';
import { entityTypes } from './intents/entities.ts';
import { createKnowledge } from '../knowledge/index.ts';
import { loadKnowledgeEmbedder } from './knowledge-embedder.ts';
import { groundStage } from './ground/stage.ts';
import { loadIssueTaxonomy } from './perceive/issues.ts';
import { createOcrReader } from './perceive/ocr.ts';
import { sayingWhatWasSeen } from './perceive/said.ts';
import { perceiveStage } from './perceive/stage.ts';
import { setUpLooker, visionSettings, type VisionSettings } from './perceive/setup-vision.ts';
import { openAgentDesk } from './handoff/agent-desk.ts';
import { agentConsole } from './handoff/console.ts';
import { parseBusinessHours } from './handoff/hours.ts';
import { parseTriggers } from './handoff/triggers.ts';
import { createHandoffNotices } from './handoff/notices.ts';
import { handoffStage, routeStage } from './handoff/stage.ts';
import { parseUnclaimedAfter, startUnclaimedSweep } from './handoff/unclaimed.ts';
import { keepSelectorCurrent } from './ground/current-selector.ts';
import { botEmbeddingOptions, intentsDirOf } from './intents/bot-model.ts';
import { loadIntentFolder } from '../training/intents/dataset.ts';
import { defaultNegatives } from '../training/intents/negatives.ts';
import type { Channel, ChatPort } from './turn/channel.ts';
import type { Turn } from './turn/types.ts';
import { createFloodGate, type FloodGateOptions } from './turn/flood-gate.ts';
import { createInbox } from './inbox/inbox.ts';
import { createOutbox, type Outbox } from './inbox/outbox.ts';
import { createPacer } from './inbox/pacer.ts';
import { parseTeams } from './handoff/routing.ts';
import { recover } from './inbox/recovery.ts';
import { createRunner, turnBudget } from './inbox/runner.ts';
import { createLocalBus, type LiveBus } from './live/bus.ts';
import { openPostgresBus } from './live/postgres-bus.ts';
import { buildServer, type ServerOptions } from './server/server.ts';
import { checkSecret, tokenSecret } from './server/token-secret.ts';
import type { Db } from './turn/database.ts';
import { getConversation } from './store/conversations.ts';
import { getMessage } from './store/messages.ts';
import { migrate } from './store/migrate.ts';
import { openDb } from './store/open.ts';

export interface KefuOptions {
  /** Bot folder (bot.yaml, knowledge/, intents/, …). */
  botDir: string;
  /** The channels to serve (`adapters/index.ts` lists kefu's own; the CLI hands them over). */
  channels: Channel[];
  /** Embedded database directory; undefined keeps it in memory (tests). Ignored when databaseUrl is set. */
  dataDir?: string;
  databaseUrl?: string;
  /** A database the caller opened (a test counting a turn's statements): migrated here, closed with kefu; dataDir is then ignored. */
  db?: Db;
  port?: number;
  host?: string;
  logger?: ServerOptions['logger'];
  /** The token signing secret (KEFU_SECRET); undefined: a random one kept in the database. */
  secret?: string;
  trustProxy?: ServerOptions['trustProxy'];
  flood?: FloodGateOptions;
  /** How often the bot checks whether another process changed its knowledge base (default 5 s). */
  knowledgePollMs?: number;
  /** The most time one turn's stages may take; a turn past it is answered with an apology. */
  turnBudgetMs?: number;
  onProgress?: (step: string) => void;
  /**
   * A folder of trained models reused by instances that start on an empty database again and again (tests,
   * evaluation); default KEFU_MODEL_CACHE, unset: train on every empty start.
   */
  trainingCache?: string;
  /** Redis shared by kefu processes, for channels' outbound pace (default REDIS_URL; unset: each process keeps its own). */
  redisUrl?: string;
  /** Looking at pictures: overrides bot.yaml's `vision:` section (a CLIP folder, labelled examples). */
  vision?: VisionSettings;
  /** Sees every finished turn with its timed trace (profiles, benchmarks). */
  onTurn?: (turn: Turn) => void;
}

export interface Kefu {
  url: string;
  db: Db;
  /** The bot as channels see it (in-process: evaluation, tests). */
  chat: ChatPort;
  /** Sends into a conversation outside any turn (agents, notices, proactive messages). */
  outbox: Outbox;
  close(): Promise<void>;
}

/** The image moderation model loads on the first image a customer sends, not at start. */
function lazyImageModerator(): ImageModerator & ImageFeatures {
  let loaded: Promise<ImageModerator & ImageFeatures> | undefined;
  return {
    moderateImage: async (bytes, mime) => (await (loaded ??= loadImageModerator())).moderateImage(bytes, mime),
    features: async (rgb, size) => (await (loaded ??= loadImageModerator())).features(rgb, size),
    dispose: () => void loaded?.then((m) => m.dispose()),
  };
}

/** Starts kefu: database (migrated), the bot's content, the turn pipeline, inbox, runner and outbox, the live bus and the channels' server. */
export async function startKefu(opts: KefuOptions): Promise<Kefu> {
  const progress = opts.onProgress ?? (() => undefined);
  if (opts.secret !== undefined) checkSecret(opts.secret); // before anything is opened
  const bot = loadBotConfig(opts.botDir);
  const generation = parseGenerationSettings(readBotYaml(bot.dir).generation, bot.dir);
  const prompts = generation ? loadPromptLibrary(bot.dir) : undefined;
  if (generation) progress(`connecting to the answer model (${generation.provider}: ${generation.baseURL ?? generation.modelPath})`);
  const model = generation ? await openModel(generation) : undefined;
  const drafts = createDrafts();
  progress(opts.databaseUrl ? 'connecting to PostgreSQL' : `opening the embedded database${opts.dataDir ? ` in ${opts.dataDir}` : ' (in memory)'}`);
  const db = opts.db ?? (await openDb({ databaseUrl: opts.databaseUrl, dataDir: opts.dataDir, onProgress: progress })).db;
  if (opts.db) await migrate(db, (file) => progress(`migrating ${file}`));

  progress('loading the help centre');
  const knowledgeDir = join(bot.dir, 'knowledge');
  const helpEntries = existsSync(knowledgeDir) ? loadHelpCenter(knowledgeDir) : [];
  progress('loading the knowledge base (unchanged files are skipped)');
  const knowledge = await createKnowledge({ db, botId: bot.id, embedder: await loadKnowledgeEmbedder(), onProgress: (p) => progress(`  indexing ${p.done}/${p.total} ${p.path}`) });
  if (existsSync(knowledgeDir)) {
    const summary = await knowledge.ingest(knowledgeDir);
    progress(`knowledge: ${summary.added.length} added, ${summary.updated.length} updated, ${summary.unchanged.length} unchanged, ${summary.removed.length} removed, ${summary.skipped.length} skipped`);
  }
  const responses = loadResponses(bot.dir, bot.name);
  const issues = loadIssueTaxonomy(bot.dir);
  // OCR workers start on the first image a customer sends, not at start
  const ocr = createOcrReader();
  // CLIP and the learned issue detector load on the first picture too; their model is image moderation's when no CLIP is set
  const imageModerator = lazyImageModerator();
  const looker = setUpLooker({
    settings: opts.vision ?? visionSettings(bot.dir, readBotYaml(bot.dir).vision),
    taxonomy: issues,
    dataDir: opts.dataDir,
    features: async () => imageModerator,
    progress,
  });

  progress('loading compliance rules');
  const guard = await loadGuard({ botDir: bot.dir, db, onReload: ({ error }) => error && progress(`compliance rules not reloaded: ${error.message}`) });
  const audit = createAuditLog(db);

  progress('loading the intent model (trained from the bot\'s examples on first start)');
  const trainingCache = opts.trainingCache ?? (process.env.KEFU_MODEL_CACHE || undefined);
  const recognizer = await loadRecognizer(db, bot.dir, trainingCache);

  progress('loading the help-entry selector (trained from the entries\' questions when they changed)');
  const intentData = existsSync(intentsDirOf(bot.dir)) ? loadIntentFolder(intentsDirOf(bot.dir)) : null;
  const selector = await keepSelectorCurrent(
    {
      db,
      botId: bot.id,
      outOfScope: intentData?.examples.filter((e) => e.intent === 'oos').map((e) => e.text) ?? [],
      negatives: defaultNegatives(),
      embedding: await botEmbeddingOptions(bot.dir),
      trainingCache,
    },
    { pollMs: opts.knowledgePollMs, onError: (err) => progress(`help-entry selector not retrained: ${(err as Error).message}`) },
  );
  const intentAnswers = new Map((intentData?.intents ?? []).filter((i) => i.answers?.length).map((i) => [i.name, i.answers!]));

  const handoffYaml = (readBotYaml(bot.dir).handoff ?? {}) as { hours?: unknown; team?: unknown; teams?: unknown; when?: unknown; unclaimedAfterMinutes?: unknown };
  const handoffSettings = {
    hours: parseBusinessHours(handoffYaml.hours),
    triggers: parseTriggers(handoffYaml.when),
    team: typeof handoffYaml.team === 'string' ? handoffYaml.team : undefined,
    teams: parseTeams(handoffYaml.teams),
  };
  const unclaimedAfterMinutes = parseUnclaimedAfter(handoffYaml.unclaimedAfterMinutes);

  progress('loading the flows (flows/*.yaml)');
  let selfUrl = '';
  const flows = setUpFlows({
    botDir: bot.dir,
    intents: recognizer.intents,
    entityTypes: entityTypes(intentData?.lists),
    selfUrl: () => selfUrl,
    turnBudgetMs: (turn) => turnBudget(turn, { turnBudgetMs: opts.turnBudgetMs }),
    humanButton: (locale) => ({ label: responses('quick_human', locale), payload: responses('quick_human_payload', locale) }),
  });
  const demo = await setUpDemo(db, bot.id, bot.dir);
  if (demo) progress(`demo orders API: ${demo.orders} sample orders`);

  const bus: LiveBus = opts.databaseUrl
    ? await openPostgresBus(opts.databaseUrl, { load: (id) => getMessage(db, id), onError: (err) => progress(`live delivery: ${(err as Error).message}`) })
    : createLocalBus();
  const pacer = createPacer({ redisUrl: opts.redisUrl ?? (process.env.REDIS_URL || undefined) });
  const outbox = createOutbox({ db, bus, pacer, channels: new Map(opts.channels.map((c) => [c.name, c])) });
  const handoffNotices = createHandoffNotices({ db, botId: bot.id, responses, conversation: (id) => getConversation(db, id), send: outbox.send });
  const queueTopic = `queue:${bot.id}`;
  const signalQueue = () => bus.signal(queueTopic).catch((err) => progress(`live delivery: ${(err as Error).message}`));
  const runner = createRunner({
    db,
    outbox,
    turnBudgetMs: opts.turnBudgetMs,
    overBudgetReply: (locale) => ({ text: responses('over_budget', locale), sources: [], quickReplies: [] }),
    onTurn: opts.onTurn,
    stages: {
      'guard-in': guardInStage(guard, audit, { images: imageModerator }),
      route: routeStage({ db, responses, forwarded: () => void signalQueue() }),
      perceive: perceiveStage({ ocr, taxonomy: issues, redact: redactPersonalData, looker }),
      understand: understandStage(recognizer),
      decide: decideStage,
      flow: flows.stage,
      ground: groundStage({ knowledge, selector: selector.current, intentAnswers }),
      compose: sayingWhatWasSeen(
        flows.compose(
          model && generation && prompts
            ? modelComposeStage({ grounded: composeStage(responses), model, settings: generation, library: prompts, responses, guard, botName: bot.name, drafts })
            : composeStage(responses),
        ),
        issues,
      ),
      'guard-out': guardOutStage(guard, audit),
      handoff: handoffStage({ db, botId: bot.id, responses, ...handoffSettings, queued: () => void signalQueue() }),
    },
  });
  const inbox = createInbox({ db, runner, flood: createFloodGate(opts.flood), redact: redactPersonalData });

  // after a claim, transfer or resolution: live consoles and desks read the queue again, waiting customers hear their place
  const queueChanged = () => {
    void signalQueue();
    handoffNotices.queueMoved().catch((err) => progress(`queue places not told: ${(err as Error).message}`));
  };
  const watchQueue = (listener: () => void) => bus.watch(queueTopic, listener);

  const secret = await tokenSecret(db, opts.secret);
  const chat = createChat({ db, botId: bot.id, inbox, bus, drafts });
  const app = await buildServer({
    channels: opts.channels,
    chat,
    secret,
    openDesk: (settings) => openAgentDesk({ db, botId: bot.id, notices: handoffNotices, queueChanged, watch: watchQueue }, settings),
    helpEntries,
    botName: bot.name,
    logger: opts.logger,
    trustProxy: opts.trustProxy,
    ...(model && generation ? { health: modelHealth(model, adaptersOf(generation)) } : {}),
    consoles: [
      ...(demo ? [demo] : []),
      {
        prefix: '/console',
        routes: (scope) =>
          agentConsole(scope, {
            db,
            botId: bot.id,
            reply: (conversationId, text, agent) => handoffNotices.agentSaid(conversationId, agent.displayName, text),
            claimed: (conversationId, agent) => handoffNotices.claimed(conversationId, agent.displayName),
            resolved: handoffNotices.resolved,
            queueChanged,
            watchQueue,
            suggest: async (text, locale) =>
              (await knowledge.search(text, { locale, limit: 3 })).map((h) => ({ title: h.question ?? h.source.title, text: h.text })),
          }),
      },
    ],
  });
  // the first customer should not pay for loading the search index into memory and the encoder's first run
  progress('warming up the knowledge search');
  const warmReader = await knowledge.reader();
  for (const [locale, words] of [['en', 'delivery time'], ['zh', '发货时间']] as const) await warmReader.search(words, { locale });
  const address = await app.listen({ port: opts.port ?? 3000, host: opts.host ?? '127.0.0.1' });
  selfUrl = address.replace('[::1]', 'localhost');
  const recovered = await recover({ db, runner, outbox });
  if (recovered) progress(`recovered ${recovered} unfinished message(s)`);
  const sweep = startUnclaimedSweep({
    db,
    botId: bot.id,
    afterMinutes: unclaimedAfterMinutes,
    hours: handoffSettings.hours,
    notices: { messageTaken: handoffNotices.messageTaken, queueMoved: async () => Promise.all([handoffNotices.queueMoved(), signalQueue()]) },
    onError: (err) => progress(`unclaimed handoffs not swept: ${(err as Error).message}`),
  });

  return {
    url: address.replace('[::1]', 'localhost'),
    db,
    chat,
    outbox,
    async close() {
      await sweep.stop();
      await app.close();
      await runner.idle();
      await bus.close();
      await pacer.close();
      selector.close();
      guard.close();
      await ocr.close();
      await model?.close();
      await db.close();
    },
  };
}
