-- Where each conversation stands in a multi-turn flow (bot/flows): one row per conversation, at most.
create table flow_states (
  conversation_id text primary key references conversations (id),
  flow text not null,
  step integer not null,
  slots jsonb not null default '{}',
  attempts integer not null default 0,
  -- the language the customer last wrote words in (an answer that is only an order number keeps it)
  locale text not null default 'en' check (locale in ('zh', 'en')),
  result jsonb,
  updated_at timestamptz not null default now()
);
