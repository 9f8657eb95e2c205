-- Conversations, and every message in or out of them. Message text is stored masked (guard-in / guard-out).
create table conversations (
  id text primary key,
  bot_id text not null,
  channel text not null,
  customer_id text not null,
  mode text not null default 'bot' check (mode in ('bot', 'queued', 'agent', 'closed')),
  locale text not null default 'en' check (locale in ('zh', 'en')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index conversations_customer on conversations (channel, customer_id);

-- Inbox and outbox in one table. Inbound: received → processed. Outbound: pending → sent.
create table messages (
  id bigserial primary key,
  conversation_id text not null references conversations (id),
  direction text not null check (direction in ('in', 'out')),
  author text not null check (author in ('customer', 'bot', 'agent', 'system')),
  channel text not null,
  channel_message_id text,
  text text not null,
  attachments jsonb not null default '[]',
  sources jsonb not null default '[]',
  quick_replies jsonb not null default '[]',
  status text not null check (status in ('received', 'processed', 'pending', 'sent', 'failed')),
  reply_to bigint references messages (id),
  trace jsonb,
  created_at timestamptz not null default now(),
  unique (channel, channel_message_id)
);
create index messages_conversation on messages (conversation_id, id);
create index messages_unfinished on messages (status) where status in ('received', 'pending');
-- One bot reply per inbound message, whatever happens: never answered twice.
create unique index messages_one_reply on messages (reply_to) where author = 'bot';

-- Process-wide settings shared by every kefu process on this database (e.g. the token signing secret).
create table settings (
  key text primary key,
  value text not null
);
