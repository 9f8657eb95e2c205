import type { CliIo } from '../../bot/cli/io.ts';

/** A CliIo that keeps what a command writes, line by line. */
export function captureIo(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => err.push(l) }, out, err };
}
