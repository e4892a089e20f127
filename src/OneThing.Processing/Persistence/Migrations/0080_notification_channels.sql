-- A notification may go out through several channels (e.g. e-mail and a messenger robot); the ones that delivered
-- are remembered, so a retry after another channel failed does not send it through them twice.
ALTER TABLE notifications ADD COLUMN delivered_channels text[] NOT NULL DEFAULT '{}';
UPDATE notifications SET delivered_channels = ARRAY[channel] WHERE delivered_at IS NOT NULL AND channel IS NOT NULL;
