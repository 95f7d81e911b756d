-- A change sent again (after a reload, or to another instance) is
-- recognised by its client ID and sequence number, whatever version it is
-- sent against: look them up without scanning the section's log.
CREATE INDEX changes_by_client ON changes(section_id, client_id, seq);
