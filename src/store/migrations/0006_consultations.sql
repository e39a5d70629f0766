-- 0006: consultations (deliberation, Polis style): organisers, statements,
-- participants, votes and the stored math. Dialect tokens (@ID@, @BLOB@)
-- are explained in store/dialect.c.

-- A consultation asks one question in one area, between two dates.
-- Statement and participant numbers are per consultation, dense from 0
-- (Polis' tid and pid): next_tid and next_pid hand them out. version goes
-- up with every change the math depends on (votes, statements,
-- moderation); the background worker recomputes while consult_results
-- holds an older version.
CREATE TABLE consultations (
	id @ID@,
	question TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	area_id BIGINT REFERENCES areas (id),
	opens_at BIGINT NOT NULL,
	closes_at BIGINT NOT NULL,
	moderation TEXT NOT NULL CHECK (moderation IN ('strict', 'permissive')),
	statement_max BIGINT NOT NULL DEFAULT 280 CHECK (statement_max BETWEEN 20 AND 2000),
	communities TEXT NOT NULL DEFAULT '[]',
	source TEXT NOT NULL DEFAULT 'native' CHECK (source IN ('native', 'polis')),
	next_tid BIGINT NOT NULL DEFAULT 0,
	next_pid BIGINT NOT NULL DEFAULT 0,
	version BIGINT NOT NULL DEFAULT 0,
	created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	CHECK (closes_at > opens_at)
);
CREATE INDEX consultations_area ON consultations (area_id);

-- The organising organisations (one, or two together).
CREATE TABLE consultation_orgs (
	consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
	org_id BIGINT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	PRIMARY KEY (consultation_id, org_id)
);
CREATE INDEX consultation_orgs_org ON consultation_orgs (org_id);

-- Participants are pseudonymous: an anonymous one is known by the SHA-256
-- of (browser token, consultation), never by the token itself; a signed-in
-- one by the account. Imported Polis participants have neither. community
-- is the participant's own optional description, only ever shown in
-- aggregates with small numbers suppressed.
CREATE TABLE consult_participants (
	consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
	pid BIGINT NOT NULL,
	token_hash TEXT UNIQUE,
	user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	community TEXT,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (consultation_id, pid),
	UNIQUE (consultation_id, user_id)
);

-- Statements: seed ones (by the organisers, accepted) and participants'
-- (author_pid). mod: -1 rejected, 0 not yet moderated, 1 accepted; a
-- rejected or accepted statement may carry the reason shown to its author.
-- is_meta: about the conversation itself (kept out of the math, as Polis).
-- created_at is in milliseconds, as Polis' exports. Duplicate texts are
-- refused by domain/consultation.c for new statements, not here: imported
-- conversations may hold some.
CREATE TABLE consult_statements (
	consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
	tid BIGINT NOT NULL,
	text TEXT NOT NULL,
	author_pid BIGINT,
	is_seed BIGINT NOT NULL DEFAULT 0,
	is_meta BIGINT NOT NULL DEFAULT 0,
	mod BIGINT NOT NULL DEFAULT 0 CHECK (mod IN (-1, 0, 1)),
	mod_reason TEXT,
	moderated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	moderated_at BIGINT,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (consultation_id, tid),
	FOREIGN KEY (consultation_id, author_pid)
		REFERENCES consult_participants (consultation_id, pid) ON DELETE CASCADE
);
CREATE INDEX consult_statements_mod ON consult_statements (consultation_id, mod);

-- The last vote of each participant on each statement (the last vote
-- wins). vote: agree = 1, disagree = -1, pass = 0, as in Polis' exports
-- (the math negates it). voted_at in milliseconds.
-- No foreign keys, on purpose: PostgreSQL checks them row by row through
-- triggers, which cost more than the rest of a vote's insert. A vote is
-- written only after domain/consult_vote.c found its consultation,
-- participant and statement in one query, and none of those is ever
-- deleted on its own.
CREATE TABLE consult_votes (
	consultation_id BIGINT NOT NULL,
	pid BIGINT NOT NULL,
	tid BIGINT NOT NULL,
	vote BIGINT NOT NULL CHECK (vote IN (-1, 0, 1)),
	voted_at BIGINT NOT NULL,
	PRIMARY KEY (consultation_id, pid, tid)
);

-- The math of a consultation at some version: the Polis math blob (JSON,
-- math-pca2 shape), a summary for the pages (groups, representative and
-- consensus statements, participation, the opinion map's points, the
-- community spread already suppressed) and the statement priorities used
-- to pick the next statement ([[tid, priority], ...]).
CREATE TABLE consult_results (
	consultation_id BIGINT PRIMARY KEY REFERENCES consultations (id) ON DELETE CASCADE,
	version BIGINT NOT NULL,
	computed_at BIGINT NOT NULL,
	compute_ms DOUBLE PRECISION NOT NULL,
	n_votes BIGINT NOT NULL,
	math TEXT NOT NULL,
	summary TEXT NOT NULL,
	priorities TEXT NOT NULL
);
