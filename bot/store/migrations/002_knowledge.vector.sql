-- Sentence embeddings for knowledge chunks and curated questions (pgvector, cosine).
-- 512 dimensions: USE-lite's size; smaller models are zero-padded, which keeps cosine similarity exact.
create extension if not exists vector;
alter table knowledge_chunks add column embedding vector(512);
create index knowledge_chunks_embedding on knowledge_chunks using hnsw (embedding vector_cosine_ops);
alter table knowledge_curated add column embedding vector(512);
