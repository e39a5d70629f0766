-- 0002: the accountability log (tlog/tlog.c): a Merkle tree of entries
-- (RFC 9162), its signed checkpoints (C2SP tlog-checkpoint) and the
-- cosignatures of oversight bodies' witness keys (C2SP tlog-cosignature).
-- Dialect tokens (@ID@, @KEY@, @BLOB@) are explained in store/dialect.c.

-- The size of the log: one row (id 1), inserted by the first append and
-- updated by every append in the appending transaction, which serializes
-- appends (SQLite: BEGIN IMMEDIATE; PostgreSQL: the row lock of the UPDATE).
CREATE TABLE tlog_state (
	id BIGINT PRIMARY KEY CHECK (id = 1),
	size BIGINT NOT NULL CHECK (size >= 0)
);

-- Entry idx (0-based leaf index): canonical JSON, at most 65535 bytes.
CREATE TABLE tlog_entries (
	idx @KEY@,
	entry TEXT NOT NULL
);

-- The hash of every complete subtree (level, index) of the tree: the 2^level
-- leaves from index * 2^level. node is its in-order position,
-- (index << (level + 1)) + 2^level - 1: leaves are the even numbers, and a
-- node's children are node -/+ 2^(level - 1). Appends write a leaf's row and
-- those of the subtrees it completes (2 rows per entry on average).
CREATE TABLE tlog_hashes (
	node @KEY@,
	hash @BLOB@ NOT NULL CHECK (length(hash) = 32)
);

-- Signed checkpoints, at most one per tree size: note is the signed note
-- with the log's own signature; root repeats its root hash for queries.
CREATE TABLE tlog_checkpoints (
	size @KEY@,
	root @BLOB@ NOT NULL CHECK (length(root) = 32),
	created_at BIGINT NOT NULL, -- milliseconds since the epoch
	note TEXT NOT NULL
);

-- Witness keys of oversight organisations (vkey: a C2SP verifier key of
-- type 0x04, timestamped cosignatures), registered by an admin.
CREATE TABLE tlog_witnesses (
	id @ID@,
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	name TEXT NOT NULL,
	key_id BIGINT NOT NULL,
	vkey TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	UNIQUE (name, key_id)
);
CREATE INDEX tlog_witnesses_org ON tlog_witnesses (org_id);

-- A witness's cosignature of a checkpoint: the signature line of the note.
CREATE TABLE tlog_cosignatures (
	size BIGINT NOT NULL REFERENCES tlog_checkpoints (size),
	witness_id BIGINT NOT NULL REFERENCES tlog_witnesses (id),
	line TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (size, witness_id)
);
