-- An anonymous comment or feedback no longer stores its author's account:
-- new ones store a mark only the author's sign-in can make again (see
-- auth.AnonymityKey). Those written before are nobody's from now on: their
-- authors can no longer edit or delete them, and nothing joins them to a
-- person. secure_delete (set at open) overwrites the old values in the file.
UPDATE comments SET author_id = '' WHERE anonymous = 1;
UPDATE feedback SET author_id = '' WHERE anonymous = 1;
