-- Agents' internal notes on a conversation: never shown to the customer.
create table handoff_notes (
  id bigserial primary key,
  conversation_id text not null references conversations (id),
  author_id bigint not null references staff_users (id),
  text text not null,
  created_at timestamptz not null default now()
);
create index handoff_notes_conversation on handoff_notes (conversation_id, id);
