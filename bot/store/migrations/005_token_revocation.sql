-- Channel tokens issued up to this moment no longer open the conversation (revoked by the customer or an operator).
alter table conversations add column tokens_revoked_at timestamptz;
