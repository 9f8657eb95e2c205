-- Knowledge: sources (one per ingested file or document set), their chunks with kefu's own lexical
-- tokens, document frequencies for BM25-like scoring, and trainer-approved curated answers.
-- Embeddings live in 002_knowledge.vector.sql, applied only where pgvector exists.
create table knowledge_sources (
  id bigserial primary key,
  bot_id text not null,
  origin text not null,
  ref text not null,
  title text not null,
  kind text not null,
  content_hash text not null,
  chunk_count integer not null default 0,
  token_total bigint not null default 0,
  ingested_at timestamptz not null default now(),
  unique (bot_id, origin)
);

create table knowledge_chunks (
  id bigserial primary key,
  bot_id text not null,
  source_id bigint not null references knowledge_sources (id) on delete cascade,
  doc_id text not null,
  position integer not null,
  locale text not null,
  kind text not null,
  title_path jsonb not null default '[]',
  url text,
  text text not null,
  lexemes tsvector not null,
  token_count integer not null,
  embedding_model text
);
create index knowledge_chunks_source on knowledge_chunks (source_id);
create index knowledge_chunks_lexemes on knowledge_chunks using gin (lexemes);

create table knowledge_terms (
  bot_id text not null,
  term text not null,
  df integer not null,
  primary key (bot_id, term)
);

create table knowledge_curated (
  id bigserial primary key,
  bot_id text not null,
  locale text not null,
  question text not null,
  answer text not null,
  source_title text,
  source_url text,
  lexemes tsvector not null,
  approved_by text,
  created_at timestamptz not null default now(),
  embedding_model text
);
create index knowledge_curated_bot on knowledge_curated (bot_id);
create index knowledge_curated_lexemes on knowledge_curated using gin (lexemes);
