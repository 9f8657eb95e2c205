import type { Channel } from '../../bot/turn/channel.ts';
import type { Db } from '../../bot/turn/database.ts';
import { createInbox } from '../../bot/inbox/inbox.ts';
import { createOutbox } from '../../bot/inbox/outbox.ts';
import { createRunner, type RunnerDeps } from '../../bot/inbox/runner.ts';
import { createLocalBus, type LiveBus } from '../../bot/live/bus.ts';
import type { ConversationRef, StoredMessage } from '../../bot/turn/types.ts';

/** A channel that records what the outbox sends through it (and can be told to fail). */
export function recordingChannel(name = 'web') {
  const sent: { ref: ConversationRef; message: StoredMessage }[] = [];
  let failures = 0;
  const channel: Pick<Channel, 'send'> = {
    async send(ref, message) {
      if (failures > 0) {
        failures--;
        throw new Error('the channel is down');
      }
      sent.push({ ref, message });
    },
  };
  return { name, channel, sent, failNext: (n: number) => void (failures = n) };
}

/** Inbox, runner and outbox wired on a database, as bot/app.ts wires them, with the given stages and channels. */
export function deliveryOn(
  db: Db,
  opts: { stages: RunnerDeps['stages']; channels: Record<string, Pick<Channel, 'send' | 'pushes'>>; redact?: (t: string) => string; bus?: LiveBus; backoffMs?: number },
) {
  const bus = opts.bus ?? createLocalBus();
  const outbox = createOutbox({ db, bus, channels: new Map(Object.entries(opts.channels)), backoffMs: opts.backoffMs ?? 1 });
  const runner = createRunner({ db, outbox, stages: opts.stages });
  const inbox = createInbox({ db, runner, redact: opts.redact });
  return { bus, outbox, runner, inbox };
}
