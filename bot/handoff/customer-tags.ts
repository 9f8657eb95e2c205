/**
 * Customer tags: labels an operator gives a customer of one channel (`kefu customers tag slack U024BE7LH vip`).
 * The `customer_tag` handoff trigger (handoff.when.customerTags) reads them: a tagged customer goes to people.
 * Tags come from the operator, never from the customer's own client.
 */
import type { Queryable } from '../turn/database.ts';

const TAG = /^[\p{L}\p{N}_.-]{1,40}$/u;

export function checkTag(tag: string): string {
  const t = tag.trim().toLowerCase();
  if (!TAG.test(t)) throw new Error(`a tag is 1–40 letters, digits, or _ . -: '${tag}' is not`);
  return t;
}

export async function tagCustomer(db: Queryable, channel: string, customerId: string, tag: string): Promise<void> {
  await db.query('insert into customer_tags (channel, customer_id, tag) values ($1, $2, $3) on conflict do nothing', [channel, customerId, checkTag(tag)]);
}

/** Removes a tag; false when the customer did not have it. */
export async function untagCustomer(db: Queryable, channel: string, customerId: string, tag: string): Promise<boolean> {
  return (await db.query('delete from customer_tags where channel = $1 and customer_id = $2 and tag = $3 returning tag', [channel, customerId, checkTag(tag)])).length > 0;
}

export async function tagsOf(db: Queryable, channel: string, customerId: string): Promise<string[]> {
  return (await db.query<{ tag: string }>('select tag from customer_tags where channel = $1 and customer_id = $2 order by tag', [channel, customerId])).map((r) => r.tag);
}

export async function taggedCustomers(db: Queryable): Promise<{ channel: string; customerId: string; tags: string[] }[]> {
  const rows = await db.query<{ channel: string; customer_id: string; tags: string[] }>(
    'select channel, customer_id, array_agg(tag order by tag) as tags from customer_tags group by channel, customer_id order by channel, customer_id',
  );
  return rows.map((r) => ({ channel: r.channel, customerId: r.customer_id, tags: r.tags }));
}
