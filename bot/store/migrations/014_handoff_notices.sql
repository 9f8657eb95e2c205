-- A message that tells a customer where their handoff stands carries that state (the widget shows it as a
-- banner; other channels send the text); an agent's message carries the name the agent works under.
alter table messages add column author_name text;
alter table messages add column handoff_notice jsonb;
-- The place in the queue a waiting customer was last told: a moving queue tells each customer once per change.
alter table handoffs add column told_position integer;
-- When nobody claimed the handoff in time and it became a message taken for an agent (status timed_out).
alter table handoffs add column timed_out_at timestamptz;
