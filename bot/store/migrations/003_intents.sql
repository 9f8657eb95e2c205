-- Trained intent models, one row per version per bot; the running bot loads the newest.
create table intent_models (
  id bigserial primary key,
  bot_id text not null,
  version integer not null,
  created_at timestamptz not null default now(),
  data_hash text not null,
  model jsonb not null,
  metrics jsonb not null default '{}',
  unique (bot_id, version)
);
