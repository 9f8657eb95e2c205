-- Each conversation keeps its channel's address (the channel's conversation reference, as JSON), so the
-- outbox can send into it outside any turn; thread-shaped channels find their conversation by it.
alter table conversations add column channel_ref jsonb;
create unique index conversations_channel_ref on conversations (channel, channel_ref) where channel_ref is not null;

-- A turn may send any number of messages. What keeps a message from being answered twice is now the
-- commit itself: it stores the turn's messages only while the inbound message is still 'received'.
drop index messages_one_reply;
create index messages_reply_to on messages (reply_to) where reply_to is not null;

-- Attachment bytes, stored once per content (SHA-256, hex); a message's `attachments` lists
-- {sha256, mime, size, name?, url?} for each of its images.
create table attachments (
  sha256 text primary key,
  mime text not null,
  size integer not null check (size >= 0),
  bytes bytea not null,
  created_at timestamptz not null default now()
);
