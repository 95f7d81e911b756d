-- The search index: one row an item (a document's title, a section, a
-- comment, an idea, a theme), and its folded words in an FTS5 table
-- sharing its rowid. Words arrive folded (textsearch.Fold), so the
-- tokenizer only splits them.
CREATE TABLE search_items (
	rowid       INTEGER PRIMARY KEY,
	kind        TEXT NOT NULL,
	item_id     TEXT NOT NULL,
	lab_id      TEXT NOT NULL,
	document_id TEXT NOT NULL,
	section_id  TEXT NOT NULL,
	workshop_id TEXT NOT NULL,
	level       TEXT NOT NULL,
	title       TEXT NOT NULL,
	text        TEXT NOT NULL,
	indexed_at  INTEGER NOT NULL,
	UNIQUE (kind, item_id)
) STRICT;
CREATE INDEX search_items_document ON search_items(document_id) WHERE document_id <> '';
CREATE INDEX search_items_indexed ON search_items(indexed_at);
CREATE VIRTUAL TABLE search_words USING fts5(folded, tokenize = 'unicode61 remove_diacritics 0');
