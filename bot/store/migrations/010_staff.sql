-- The people who work in kefu's consoles: agents answer handed-over conversations, trainers review the
-- bot's turns, admins manage both. Passwords are stored as scrypt hashes; sessions by the hash of their id.
create table staff_users (
  id bigserial primary key,
  login text not null,
  display_name text not null,
  role text not null check (role in ('agent', 'trainer', 'admin')),
  teams text[] not null default '{}',
  password_hash text not null,
  disabled_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index staff_users_login on staff_users (lower(login));

create table staff_sessions (
  id_hash text primary key,
  user_id bigint not null references staff_users (id),
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index staff_sessions_user on staff_sessions (user_id);
