-- Documents' structure revision (title and list of sections).
ALTER TABLE documents ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
