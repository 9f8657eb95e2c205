-- Handoffs: a conversation waiting for, or held by, a human agent. One open handoff per conversation.
alter table staff_users add column capacity integer not null default 3 check (capacity >= 0);
alter table staff_users add column presence text not null default 'away' check (presence in ('online', 'away'));

create table handoffs (
  id bigserial primary key,
  conversation_id text not null references conversations (id),
  bot_id text not null,
  reason text not null,
  team text,
  status text not null default 'queued' check (status in ('queued', 'claimed', 'resolved', 'timed_out')),
  agent_id bigint references staff_users (id),
  requested_at timestamptz not null default now(),
  claimed_at timestamptz,
  resolved_at timestamptz,
  rating smallint check (rating between 1 and 5)
);
create unique index handoffs_one_open on handoffs (conversation_id) where status in ('queued', 'claimed');
create index handoffs_queue on handoffs (bot_id, status, requested_at, id);
