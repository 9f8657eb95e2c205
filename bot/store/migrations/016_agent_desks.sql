-- People who work handoffs from a desk outside the console (a Slack channel) are staff users too: an
-- identity links the desk's id for them (a Slack user id) to their account.
create table staff_identities (
  desk text not null,
  external_id text not null,
  user_id bigint not null references staff_users (id),
  primary key (desk, external_id)
);

-- Where a desk showed a handoff: its post (a Slack message), the state the post shows, and the last
-- customer message mirrored under it. A row is taken before posting, so each handoff is posted once.
create table desk_posts (
  desk text not null,
  handoff_id bigint not null references handoffs (id),
  post_id text,
  taken_at timestamptz not null default now(),
  shown text not null,
  mirrored_to bigint not null default 0,
  primary key (desk, handoff_id)
);
create unique index desk_posts_post on desk_posts (desk, post_id);
