/**
 * Where an agent desk (a Slack channel) showed each handoff, in the store (`desk_posts`). Every change a
 * desk must show is taken by one UPDATE/INSERT … RETURNING or under `FOR UPDATE SKIP LOCKED`, so when
 * several kefu processes look at once, each handoff is posted once and each customer message mirrored once.
 */
import type { Db, Queryable } from '../turn/database.ts';
import type { DeskCustomerMessage, DeskHandoff, DeskHandoffStatus } from '../turn/desk.ts';
import type { Locale } from '../turn/types.ts';
import { summarize, transcript } from './desk.ts';

/** A post not confirmed (`notePosted`) this long after it was taken is taken again: its poster died or Slack failed. */
const RETAKE_AFTER = "interval '1 minute'";
/** The most handoffs one look posts. */
const BATCH = 20;

/** What a post shows of its handoff: its status and holder. */
const SHOWN = "h.status || ':' || coalesce(h.agent_id::text, '')";

interface ViewRow {
  id: string;
  conversation_id: string;
  channel: string;
  locale: Locale;
  reason: string;
  team: string | null;
  status: DeskHandoffStatus;
  agent_name: string | null;
  post_id: string | null;
}

async function toView(db: Queryable, r: ViewRow): Promise<DeskHandoff> {
  return {
    handoffId: Number(r.id),
    conversationId: r.conversation_id,
    channel: r.channel,
    locale: r.locale,
    reason: r.reason,
    team: r.team,
    status: r.status,
    agentName: r.agent_name,
    summary: summarize(await transcript(db, r.conversation_id, 50), r.locale),
    postId: r.post_id,
  };
}

const VIEW_SELECT = `
  select h.id, h.conversation_id, c.channel, c.locale, h.reason, h.team, h.status, u.display_name as agent_name, p.post_id
    from handoffs h join conversations c on c.id = h.conversation_id
    left join staff_users u on u.id = h.agent_id
    left join desk_posts p on p.handoff_id = h.id and p.desk = $1`;

export async function deskHandoff(db: Queryable, desk: string, handoffId: number): Promise<DeskHandoff | null> {
  const [row] = await db.query<ViewRow>(`${VIEW_SELECT} where h.id = $2`, [desk, handoffId]);
  return row ? toView(db, row) : null;
}

export async function handoffByPost(db: Queryable, desk: string, postId: string): Promise<DeskHandoff | null> {
  const [row] = await db.query<ViewRow>(`${VIEW_SELECT} where p.post_id = $2`, [desk, postId]);
  return row ? toView(db, row) : null;
}

/**
 * Takes the bot's handoffs waiting for one of `teams` (or for no team) that the desk has not posted — and
 * those it took but never confirmed — for this caller to post. A handoff is shown as of now: messages
 * written before it was taken are in its summary, not mirrored again.
 */
export async function takeToPost(db: Queryable, desk: string, botId: string, teams: string[]): Promise<DeskHandoff[]> {
  const fresh = await db.query<{ handoff_id: string }>(
    `insert into desk_posts (desk, handoff_id, shown, mirrored_to)
     select $1, h.id, ${SHOWN}, coalesce((select max(m.id) from messages m where m.conversation_id = h.conversation_id), 0)
       from handoffs h join conversations c on c.id = h.conversation_id
      where h.bot_id = $2 and (h.status = 'queued' or (h.status = 'timed_out' and c.mode = 'queued'))
        and (h.team is null or h.team = any($3::text[]))
        and not exists (select 1 from desk_posts p where p.desk = $1 and p.handoff_id = h.id)
      order by h.requested_at, h.id
      limit ${BATCH}
     on conflict do nothing
     returning handoff_id`,
    [desk, botId, teams],
  );
  const stale = await db.query<{ handoff_id: string }>(
    `update desk_posts p set taken_at = now()
       from handoffs h
      where p.desk = $1 and p.post_id is null and p.taken_at < now() - ${RETAKE_AFTER}
        and h.id = p.handoff_id and h.bot_id = $2 and h.status in ('queued', 'claimed', 'timed_out')
     returning p.handoff_id`,
    [desk, botId],
  );
  const views = await Promise.all([...fresh, ...stale].map((r) => deskHandoff(db, desk, Number(r.handoff_id))));
  return views.filter((v): v is DeskHandoff => v !== null);
}

export async function notePosted(db: Queryable, desk: string, handoffId: number, postId: string): Promise<void> {
  await db.query('update desk_posts set post_id = $3 where desk = $1 and handoff_id = $2', [desk, handoffId, postId]);
}

/** Notes that the desk's post now shows the handoff as it stands (after the desk's own claim or close). */
export async function noteShown(db: Queryable, desk: string, handoffId: number): Promise<void> {
  await db.query(`update desk_posts p set shown = ${SHOWN} from handoffs h where p.desk = $1 and p.handoff_id = $2 and h.id = p.handoff_id`, [desk, handoffId]);
}

/** Takes the posted handoffs whose status or holder changed since their post last showed it. */
export async function takeChanged(db: Queryable, desk: string, botId: string): Promise<DeskHandoff[]> {
  const rows = await db.query<{ handoff_id: string }>(
    `update desk_posts p set shown = ${SHOWN}
       from handoffs h
      where p.desk = $1 and p.post_id is not null and h.id = p.handoff_id and h.bot_id = $2
        and p.shown not like 'resolved:%' and p.shown <> ${SHOWN}
     returning p.handoff_id`,
    [desk, botId],
  );
  const views = await Promise.all(rows.map((r) => deskHandoff(db, desk, Number(r.handoff_id))));
  return views.filter((v): v is DeskHandoff => v !== null);
}

/** Takes what customers wrote under the desk's open posts since they were last mirrored, oldest first. */
export async function takeCustomerMessages(db: Db, desk: string, botId: string): Promise<DeskCustomerMessage[]> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ handoff_id: string; post_id: string; id: string; text: string; images: number }>(
      `with open as (
         select p.handoff_id, p.post_id, p.mirrored_to, h.conversation_id
           from desk_posts p join handoffs h on h.id = p.handoff_id
          where p.desk = $1 and p.post_id is not null and h.bot_id = $2 and h.status in ('queued', 'claimed', 'timed_out')
          for update of p skip locked)
       select o.handoff_id, o.post_id, m.id, m.text, jsonb_array_length(m.attachments) as images
         from open o join messages m on m.conversation_id = o.conversation_id and m.id > o.mirrored_to and m.author = 'customer'
        order by m.id`,
      [desk, botId],
    );
    const last = new Map<string, string>();
    for (const r of rows) last.set(r.handoff_id, r.id);
    for (const [handoffId, id] of last) await tx.query('update desk_posts set mirrored_to = $3 where desk = $1 and handoff_id = $2', [desk, handoffId, id]);
    return rows.map((r) => ({ handoffId: Number(r.handoff_id), postId: r.post_id, text: r.text, images: Number(r.images) }));
  });
}
