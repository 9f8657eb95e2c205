-- The payload of the button a customer pressed (a quick reply), kept with their message so a turn run
-- again at recovery reads it as the first run did.
alter table messages add column payload text;
