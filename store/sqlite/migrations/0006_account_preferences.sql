-- A person's preferences for the app, kept on the account so they follow
-- the person to any device.
ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN plain_view INTEGER NOT NULL DEFAULT 0;
