/**
 * `kefu eval answers --bot FOLDER --questions FILE [--verbose]`: runs customer questions through the
 * real pipeline on a fresh in-memory store and prints a report, then one JSON object on its last line:
 * {"questions","correct","clarified","declined","wrong","offTopicDeclined","p50Ms","p99Ms"}.
 */
import { readFileSync } from 'node:fs';
import { startKefu } from '../app.ts';
import { askAll, parseQuestions, report, score } from '../eval/answers.ts';
import { flagValue, parseCliArgs } from './flags.ts';
import type { CliIo } from './io.ts';
import { channels } from '../../adapters/index.ts';

const USAGE = 'usage: kefu eval answers --bot FOLDER --questions FILE.jsonl';

export async function evalCommand(argv: string[], io: CliIo): Promise<number> {
  const [what, ...rest] = argv;
  const { flags } = parseCliArgs(rest);
  const bot = flagValue(flags, 'bot');
  const file = flagValue(flags, 'questions');
  if (what !== 'answers' || !bot || !file) {
    io.err(USAGE);
    return 2;
  }
  const questions = parseQuestions(readFileSync(file, 'utf8'), file);
  const started = performance.now();
  const kefu = await startKefu({ channels: channels(), botDir: bot, port: 0, onProgress: (step) => io.err(`  [${((performance.now() - started) / 1000).toFixed(1)}s] ${step}…`) });
  try {
    const graded = await askAll(kefu.chat, questions, (done) => done % 50 === 0 && io.err(`  asked ${done}/${questions.length}`));
    report(graded).forEach((l) => io.out(l));
    io.out(JSON.stringify(score(graded)));
    return 0;
  } finally {
    await kefu.close();
  }
}
