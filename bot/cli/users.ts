import { parseArgs } from 'node:util';
import { addStaffUser, disableStaffUser, listStaffUsers, ROLES } from '../staff/accounts.ts';
import { openDb } from '../store/open.ts';
import { databaseOptions } from './database.ts';
import type { CliIo } from './io.ts';

const USAGE = [
  `usage: kefu users add LOGIN --role ${ROLES.join('|')} [--name NAME] [--teams T1,T2] [--data DIR]   (password: typed, or the first line of stdin)`,
  '       kefu users list [--data DIR]',
  '       kefu users disable LOGIN [--data DIR]',
];

/** Reads a password: hidden typing on a terminal, else the first line of stdin (scripts). */
export async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) {
      text += chunk;
      if (text.includes('\n')) break;
    }
    return text.split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  let typed = '';
  try {
    for await (const key of stdin as AsyncIterable<string>) {
      if (key === '\u0003') throw new Error('cancelled');
      if (key === '\r' || key === '\n') break;
      typed = key === '\u007f' ? typed.slice(0, -1) : typed + key;
    }
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
  return typed;
}

/** `kefu users add|list|disable`: the people who sign in to kefu's consoles (agents, trainers, admins). */
export async function usersCommand(argv: string[], io: CliIo, deps: { readPassword: (prompt: string) => Promise<string> } = { readPassword }): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, teams: { type: 'string' }, data: { type: 'string' } },
  });
  const login = positionals[0];
  if (!sub || !['add', 'list', 'disable'].includes(sub) || (sub !== 'list' && !login)) {
    for (const line of USAGE) io.err(line);
    return 2;
  }
  if (sub === 'add' && !values.role) {
    io.err(`kefu users add: --role is required (${ROLES.join(', ')})`);
    return 2;
  }
  const password = sub === 'add' ? await deps.readPassword(`password for ${login}: `) : '';
  const { db } = await openDb(databaseOptions(values.data));
  try {
    if (sub === 'add') {
      const teams = (values.teams ?? '').split(',').map((t) => t.trim()).filter(Boolean);
      const user = await addStaffUser(db, { login: login!, role: values.role!, displayName: values.name, teams, password });
      io.out(`added ${user.role} ${user.login} (${user.displayName})${teams.length ? `, teams ${teams.join(', ')}` : ''}`);
    } else if (sub === 'list') {
      const users = await listStaffUsers(db);
      io.out(['login', 'name', 'role', 'teams', 'status'].join('\t'));
      for (const u of users) io.out([u.login, u.displayName, u.role, u.teams.join(',') || '-', u.disabled ? 'disabled' : 'active'].join('\t'));
      io.err(`${users.length} user${users.length === 1 ? '' : 's'}`);
    } else {
      if (!(await disableStaffUser(db, login!))) {
        io.err(`kefu users disable: no user '${login}'`);
        return 1;
      }
      io.out(`disabled ${login}; their sessions are ended`);
    }
    return 0;
  } finally {
    await db.close();
  }
}
