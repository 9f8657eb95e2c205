/**
 * People who work handoffs from an agent desk outside the console (a Slack channel) are staff users: the
 * first time someone of the desk acts, kefu makes them an agent account (login `<desk>.<their id>`, no
 * password, so it cannot sign in to the console) linked to the desk's id for them. Their name follows the
 * desk, their teams are the desk's teams; an admin disables them like any account (`kefu users disable`).
 */
import type { Queryable } from '../turn/database.ts';
import type { StaffUser } from './accounts.ts';
import { UNUSABLE_HASH } from './password.ts';

interface Row {
  id: string;
  login: string;
  display_name: string;
  role: StaffUser['role'];
  teams: string[];
  disabled_at: Date | null;
}

const toUser = (r: Row): StaffUser => ({ id: Number(r.id), login: r.login, displayName: r.display_name, role: r.role, teams: r.teams, disabled: r.disabled_at !== null });

const loginOf = (desk: string, externalId: string) => `${desk}.${externalId}`.toLowerCase().replace(/[^\p{L}\p{N}._@-]/gu, '-').slice(0, 64);

/** The account linked to this person of the desk; null when they have not acted yet. */
export async function deskAgentAccount(db: Queryable, desk: string, externalId: string): Promise<StaffUser | null> {
  const [row] = await db.query<Row>('select u.* from staff_identities i join staff_users u on u.id = i.user_id where i.desk = $1 and i.external_id = $2', [desk, externalId]);
  return row ? toUser(row) : null;
}

/** The account of this person of the desk, made on their first action, with their current name and the desk's teams. */
export async function deskAgentAccountFor(db: Queryable, agent: { desk: string; externalId: string; name: string; teams: string[] }): Promise<StaffUser> {
  const name = agent.name.trim().slice(0, 80) || agent.externalId;
  const known = await deskAgentAccount(db, agent.desk, agent.externalId);
  if (known) {
    const [row] = await db.query<Row>('update staff_users set display_name = $2, teams = $3 where id = $1 returning *', [known.id, name, agent.teams]);
    return toUser(row!);
  }
  // the account and its identity in one statement: a process that makes them at the same moment finds both
  const [made] = await db.query<Row>(
    `with u as (insert into staff_users (login, display_name, role, teams, password_hash) values ($1, $2, 'agent', $3, $4) on conflict do nothing returning *),
          i as (insert into staff_identities (desk, external_id, user_id) select $5, $6, id from u)
     select * from u`,
    [loginOf(agent.desk, agent.externalId), name, agent.teams, UNUSABLE_HASH, agent.desk, agent.externalId],
  );
  if (!made) {
    const again = await deskAgentAccount(db, agent.desk, agent.externalId);
    if (again) return again;
    throw new Error(`the login ${loginOf(agent.desk, agent.externalId)} is taken by a console account; rename that account`);
  }
  return toUser(made);
}
