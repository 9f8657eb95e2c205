import { processIo, type CliIo } from './io.ts';
import { auditCommand } from './audit.ts';
import { customersCommand } from './customers.ts';
import { evalCommand } from './eval.ts';
import { intentsCommand } from './intents.ts';
import { knowledgeCommand } from './knowledge.ts';
import { startCommand } from './start.ts';
import { testCommand } from './test.ts';
import { usersCommand } from './users.ts';
import { visionCommand } from './vision.ts';

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  start: { run: startCommand, help: 'start [--data DIR] [--port N] [--bot FOLDER]   run the bot and its web chat' },
  knowledge: { run: knowledgeCommand, help: 'knowledge ingest PATH [--bot FOLDER] | eval --docs D.jsonl --queries Q.jsonl   build or evaluate the knowledge base' },
  intents: { run: intentsCommand, help: 'intents train|test|eval …   train, cross-validate or evaluate the intent classifier' },
  test: { run: testCommand, help: 'test DIR [--bot FOLDER]   run the scripted conversations in DIR (YAML) through the web channel and report' },
  eval: { run: evalCommand, help: 'eval answers --bot FOLDER --questions FILE.jsonl   customer questions through the whole pipeline: correct, clarified, declined, wrong' },
  users: { run: usersCommand, help: 'users add LOGIN --role agent|trainer|admin [--name N] [--teams T] | list | disable LOGIN   the people who sign in to the consoles' },
  customers: { run: customersCommand, help: 'customers tag|untag CHANNEL CUSTOMER TAG | list   tags (e.g. vip) that handoff.when.customerTags sends to people' },
  vision: { run: visionCommand, help: 'vision batch DIR --out results.csv [--workers N]   read a folder of screenshots and photos: issue, confidence, text found; vision learn DIR [--data FOLDER]   teach issues from labelled pictures (a folder per issue)' },
  audit: { run: auditCommand, help: 'audit export [--data DIR] [--since DATE] [--until DATE] > audit.csv   export the compliance audit log' },
};

function usage(io: CliIo) {
  io.out('usage: kefu <command> [options]\n');
  for (const c of Object.values(COMMANDS)) io.out(`  kefu ${c.help}`);
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    usage(io);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`kefu: unknown command '${name}'`);
    usage(io);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    io.err(`kefu ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bot/cli/main.ts')) {
  process.exitCode = await main(process.argv.slice(2));
  // models and pools may hold timers; the command is done
  process.exit();
}
