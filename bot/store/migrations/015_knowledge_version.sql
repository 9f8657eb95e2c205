-- A counter per bot, raised in the same transaction as every change to its knowledge (sources, chunks,
-- curated answers): a process reads it to tell whether what it keeps in memory about the knowledge base
-- (corpus statistics, documents, curated answers) is still current, whichever process changed it.
create table knowledge_versions (
  bot_id text primary key,
  version bigint not null
);

-- A document's parts by their document id (answers, "Did you mean …?" choices), without scanning every
-- chunk. Not led by bot_id: an index on bot_id would tempt the planner to read a bot's every chunk and sort
-- them by distance instead of walking the HNSW index.
create index knowledge_chunks_doc on knowledge_chunks (doc_id);

-- Merge the lexical index's pending entries, which every search otherwise reads through one by one
-- (ingest does this from now on, knowledge/ingest.ts).
select gin_clean_pending_list('knowledge_chunks_lexemes');
