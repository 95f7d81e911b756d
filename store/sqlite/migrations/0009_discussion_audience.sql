-- Who the writer of a comment or feedback chose to read it. '' is the
-- document's discussion level (the lab): every item written before keeps
-- the lab as its audience, even on a document shared more widely.
ALTER TABLE comments ADD COLUMN audience TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback ADD COLUMN audience TEXT NOT NULL DEFAULT '';
