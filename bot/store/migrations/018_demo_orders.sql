-- The demo orders API's sample orders (bot/demo): what a company's own order system would hold, seeded
-- from the demo bot's folder at start so the demo shop's flows have something real to look up and change.
create table demo_orders (
  bot_id text not null,
  number text not null,
  status text not null check (status in ('pending', 'shipped', 'delivered', 'cancelled')),
  placed_at timestamptz not null,
  shipped_at timestamptz,
  delivered_at timestamptz,
  eta date,
  carrier jsonb,
  tracking text,
  item jsonb not null,
  address text not null,
  return_id text,
  -- how the demo API misbehaves for this order, to show a flow's apology: 'fail' (HTTP 500) or 'hang'
  simulate text check (simulate in ('fail', 'hang')),
  primary key (bot_id, number)
);
