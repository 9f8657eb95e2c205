-- A message that tells a customer where their handoff stands carries that state (the widget shows it as a
-- banner; other channels send the text); an agent's message carries the name the agent works under.
alter table messages add column author_name text;
alter table messages add column handoff_notice jsonb;
-- The place in the queue a waiting customer was last told: a moving queue tells each customer once per change.
alter table handoffs add column told_position integer;
-- When nobody claimed the handoff in time and it became a message taken for an agent (status timed_out).
alter table handoffs add column timed_out_at timestamptz;
-- Tags an operator gives a customer of a channel (e.g. vip); handoff.when.customerTags hands such customers to people.
create table customer_tags (
  channel text not null,
  customer_id text not null,
  tag text not null,
  created_at timestamptz not null default now(),
  primary key (channel, customer_id, tag)
);
