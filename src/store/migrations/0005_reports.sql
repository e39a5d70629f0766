-- 0005: reports with consent (domain/report.c, domain/category.c,
-- domain/audit.c): categories and monitored strands, reports with their
-- personal data sealed under a per-report data key, public updates,
-- two-way messages, consent overrides, the index of a report's entries in
-- the accountability log, and Open311 API keys.
-- Dialect tokens (@ID@, @BLOB@) are explained in store/dialect.c.

-- What a report is about (seeded by consent init: domain/category.c,
-- category_seed). is_public: listed through Open311 (anti-social
-- behaviour); otherwise sensitive and never listed publicly. has_strands:
-- a hate incident or crime, which names one or more monitored strands.
CREATE TABLE report_categories (
	id @ID@,
	code TEXT NOT NULL UNIQUE,
	is_public BIGINT NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
	has_strands BIGINT NOT NULL DEFAULT 0 CHECK (has_strands IN (0, 1)),
	active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	position BIGINT NOT NULL DEFAULT 0,
	label_en TEXT NOT NULL,
	label_fr TEXT NOT NULL,
	label_nl TEXT NOT NULL,
	description_en TEXT NOT NULL DEFAULT '',
	description_fr TEXT NOT NULL DEFAULT '',
	description_nl TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);

-- The monitored strands of hate incidents and crimes (a fixed list, seeded by
-- consent init).
CREATE TABLE report_strand_types (
	id @ID@,
	code TEXT NOT NULL UNIQUE,
	position BIGINT NOT NULL,
	label_en TEXT NOT NULL,
	label_fr TEXT NOT NULL,
	label_nl TEXT NOT NULL
);

-- A report. public_id is random (no enumeration); only the SHA-256 of the
-- receipt token is kept. The personal data (content: what happened and the
-- exact place; identity: name, email, phone) is sealed with the report's
-- own data key, itself sealed by the instance master key (data_key).
-- Erasure sets data_key, content, identity and the approximate position to
-- NULL and keeps the rest: the non-personal facts statistics need.
-- occurred_month is YYYYMM of occurred_at (UTC), for grouping by month.
-- lat_approx/long_approx: the position rounded to 0.01 degree (about 1 km),
-- the only position published (Open311, public categories only).
CREATE TABLE reports (
	id @ID@,
	public_id TEXT NOT NULL UNIQUE,
	receipt_hash TEXT NOT NULL UNIQUE,
	category_id BIGINT NOT NULL REFERENCES report_categories (id),
	area_id BIGINT NOT NULL REFERENCES areas (id),
	police_org_id BIGINT REFERENCES orgs (id),
	via_org_id BIGINT REFERENCES orgs (id),
	consent TEXT NOT NULL CHECK (consent IN ('statistics', 'anonymous', 'identified')),
	status TEXT NOT NULL CHECK (status IN ('received', 'acknowledged', 'in_progress', 'resolved', 'closed')),
	source TEXT NOT NULL CHECK (source IN ('web', 'api', 'open311')),
	occurred_at BIGINT NOT NULL,
	occurred_month BIGINT NOT NULL,
	lat_approx DOUBLE PRECISION,
	long_approx DOUBLE PRECISION,
	data_key @BLOB@,
	content @BLOB@,
	identity @BLOB@,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	erased_at BIGINT
);
CREATE INDEX reports_police ON reports (police_org_id, created_at);
CREATE INDEX reports_via ON reports (via_org_id, created_at);
CREATE INDEX reports_category ON reports (category_id, created_at);
CREATE INDEX reports_area ON reports (area_id);
-- Statistics group by (category, area, month) within a range of months:
-- this index covers them (SQLite reads no table page).
CREATE INDEX reports_month ON reports (occurred_month, category_id, area_id);

CREATE TABLE report_strands (
	report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	strand_id BIGINT NOT NULL REFERENCES report_strand_types (id),
	PRIMARY KEY (report_id, strand_id)
);
CREATE INDEX report_strands_strand ON report_strands (strand_id);

-- Status changes with their public note (and, for closed, the reason):
-- shown on the receipt and, for public categories, through Open311. Staff
-- write them for the public: the form says so.
CREATE TABLE report_updates (
	id @ID@,
	report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	status TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	org_id BIGINT REFERENCES orgs (id),
	created_at BIGINT NOT NULL
);
CREATE INDEX report_updates_report ON report_updates (report_id, id);

-- Messages both ways: staff of an organisation ask, the reporter answers.
-- body is sealed with the report's data key; neither side's identity is
-- shown to the other (staff messages show only their organisation).
CREATE TABLE report_messages (
	id @ID@,
	report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	sender TEXT NOT NULL CHECK (sender IN ('reporter', 'staff')),
	org_id BIGINT REFERENCES orgs (id),
	body @BLOB@ NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX report_messages_report ON report_messages (report_id, id);

-- A supervisor opened the report beyond its consent: the reason is sealed
-- with the report's data key and shown to the reporter on the receipt.
CREATE TABLE report_overrides (
	id @ID@,
	report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	reason @BLOB@,
	log_index BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX report_overrides_report ON report_overrides (report_id);

-- The positions in the accountability log of the entries about a report
-- (domain/audit.c writes them with the entry), for the receipt's access
-- history.
CREATE TABLE report_log (
	report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	log_index BIGINT NOT NULL,
	PRIMARY KEY (report_id, log_index)
);

-- Open311 API keys (needed to POST requests): only the SHA-256 is kept.
CREATE TABLE open311_keys (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	key_hash TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL
);
