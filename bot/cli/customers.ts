import { parseArgs } from 'node:util';
import { tagCustomer, taggedCustomers, untagCustomer } from '../handoff/customer-tags.ts';
import { openDb } from '../store/open.ts';
import { databaseOptions } from './database.ts';
import type { CliIo } from './io.ts';

const USAGE = ['usage: kefu customers tag CHANNEL CUSTOMER TAG [--data DIR]', '       kefu customers untag CHANNEL CUSTOMER TAG [--data DIR]', '       kefu customers list [--data DIR]'];

/** `kefu customers tag|untag|list`: tags on customers (e.g. vip) that handoff.when.customerTags routes to people. */
export async function customersCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { data: { type: 'string' } } });
  const [channel, customerId, tag] = positionals;
  if (!sub || !['tag', 'untag', 'list'].includes(sub) || (sub !== 'list' && (!channel || !customerId || !tag))) {
    for (const line of USAGE) io.err(line);
    return 2;
  }
  const { db } = await openDb(databaseOptions(values.data));
  try {
    if (sub === 'tag') {
      await tagCustomer(db, channel!, customerId!, tag!);
      io.out(`tagged ${channel} ${customerId}: ${tag!.trim().toLowerCase()}`);
    } else if (sub === 'untag') {
      if (!(await untagCustomer(db, channel!, customerId!, tag!))) {
        io.err(`kefu customers untag: ${channel} ${customerId} has no tag '${tag}'`);
        return 1;
      }
      io.out(`untagged ${channel} ${customerId}: ${tag!.trim().toLowerCase()}`);
    } else {
      const tagged = await taggedCustomers(db);
      io.out(['channel', 'customer', 'tags'].join('\t'));
      for (const c of tagged) io.out([c.channel, c.customerId, c.tags.join(',')].join('\t'));
      io.err(`${tagged.length} tagged customer${tagged.length === 1 ? '' : 's'}`);
    }
    return 0;
  } finally {
    await db.close();
  }
}
