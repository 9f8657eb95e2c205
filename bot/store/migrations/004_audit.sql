-- Compliance audit log: every block, mask, rewrite and escalation, with the rule that fired.
-- detail never holds personal data in clear (matches are stored masked).
create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  conversation_id text,
  direction text not null check (direction in ('in', 'out')),
  action text not null,
  rule_id text not null,
  detail jsonb not null default '{}'
);
create index audit_log_at on audit_log (at);
create index audit_log_conversation on audit_log (conversation_id, id);

-- Sensitive terms trainers add from the console, on top of the lexicon files (read by loadGuard).
create table compliance_terms (
  id bigserial primary key,
  category text not null,
  term text not null,
  added_by text,
  added_at timestamptz not null default now(),
  unique (category, term)
);
