-- 0004: trust and representation. Survey instruments, waves and responses;
-- the classifications shared by surveys, population baselines and police
-- workforce figures; the indicator cache. See docs/trust.md.
-- Dialect tokens (@ID@, @BLOB@) are explained in store/dialect.c.

-- Categories of the four characteristics, shared by survey answers,
-- population baselines and workforce figures so that they can be compared.
-- The code 'not-stated' in each dimension stands for "not stated".
CREATE TABLE trust_categories (
	id @ID@,
	dimension TEXT NOT NULL CHECK (dimension IN ('ethnicity', 'religion', 'sex', 'age')),
	code TEXT NOT NULL,
	position BIGINT NOT NULL,
	label_en TEXT NOT NULL,
	label_fr TEXT NOT NULL,
	label_nl TEXT NOT NULL,
	UNIQUE (dimension, code)
);

CREATE TABLE survey_instruments (
	id @ID@,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

-- Items in the order answers are stored (survey_responses.answers).
CREATE TABLE survey_items (
	id @ID@,
	instrument_id BIGINT NOT NULL REFERENCES survey_instruments (id) ON DELETE CASCADE,
	code TEXT NOT NULL,
	position BIGINT NOT NULL,
	text_en TEXT NOT NULL,
	text_fr TEXT NOT NULL,
	text_nl TEXT NOT NULL,
	UNIQUE (instrument_id, code),
	UNIQUE (instrument_id, position)
);

-- A wave: one round of a survey in one area, run by one organisation.
CREATE TABLE survey_waves (
	id @ID@,
	slug TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	instrument_id BIGINT NOT NULL REFERENCES survey_instruments (id),
	area_id BIGINT NOT NULL REFERENCES areas (id),
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	opens_at BIGINT NOT NULL,
	closes_at BIGINT NOT NULL,
	response_count BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	CHECK (closes_at > opens_at)
);
CREATE INDEX survey_waves_area ON survey_waves (area_id);

-- One response. answers holds one character per item, in item order:
-- '1'..'5' strongly disagree..strongly agree, '0' don't know, '-' not
-- answered. No address, no account, no cookie: submitted_on is the day only.
-- import_ref is a digest of the importer's row reference (re-imports are
-- refused), NULL for answers given here.
CREATE TABLE survey_responses (
	id @ID@,
	wave_id BIGINT NOT NULL REFERENCES survey_waves (id) ON DELETE CASCADE,
	area_id BIGINT REFERENCES areas (id),
	org_id BIGINT REFERENCES orgs (id) ON DELETE SET NULL,
	ethnicity_id BIGINT REFERENCES trust_categories (id),
	religion_id BIGINT REFERENCES trust_categories (id),
	sex_id BIGINT REFERENCES trust_categories (id),
	age_id BIGINT REFERENCES trust_categories (id),
	lang TEXT NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('web', 'import', 'demo')),
	answers TEXT NOT NULL,
	import_ref TEXT,
	submitted_on BIGINT NOT NULL,
	UNIQUE (wave_id, import_ref)
);
CREATE INDEX survey_responses_wave ON survey_responses (wave_id, id);

-- Duplicate protection: the SHA-256 of each browser's per-wave random
-- cookie, with no link to the response it came with.
CREATE TABLE survey_tokens (
	wave_id BIGINT NOT NULL REFERENCES survey_waves (id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL,
	PRIMARY KEY (wave_id, token_hash)
);

-- Computed indicators of a wave (JSON), valid for the response count and
-- minimum cell size they were computed with.
CREATE TABLE survey_indicator_cache (
	wave_id BIGINT PRIMARY KEY REFERENCES survey_waves (id) ON DELETE CASCADE,
	response_count BIGINT NOT NULL,
	min_cell BIGINT NOT NULL,
	computed_at BIGINT NOT NULL,
	compute_ms DOUBLE PRECISION NOT NULL,
	body TEXT NOT NULL
);

-- Population of an area by characteristic (census-like), one per year.
CREATE TABLE population_baselines (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas (id) ON DELETE CASCADE,
	year BIGINT NOT NULL,
	source TEXT NOT NULL,
	is_demo BIGINT NOT NULL DEFAULT 0,
	total DOUBLE PRECISION,
	created_at BIGINT NOT NULL,
	UNIQUE (area_id, year)
);

-- Shares of each category within its dimension (summing to 1).
CREATE TABLE population_shares (
	baseline_id BIGINT NOT NULL REFERENCES population_baselines (id) ON DELETE CASCADE,
	category_id BIGINT NOT NULL REFERENCES trust_categories (id),
	share DOUBLE PRECISION NOT NULL CHECK (share >= 0 AND share <= 1),
	PRIMARY KEY (baseline_id, category_id)
);

-- Police workforce of an organisation at 31 March of year, with the
-- joiners and leavers of the year to then.
CREATE TABLE workforce_periods (
	id @ID@,
	org_id BIGINT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	year BIGINT NOT NULL,
	source TEXT NOT NULL,
	is_demo BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	UNIQUE (org_id, year)
);

-- rank_band '' is all ranks; otherwise every row of the dimension has one.
CREATE TABLE workforce_figures (
	period_id BIGINT NOT NULL REFERENCES workforce_periods (id) ON DELETE CASCADE,
	category_id BIGINT NOT NULL REFERENCES trust_categories (id),
	rank_band TEXT NOT NULL,
	headcount BIGINT NOT NULL CHECK (headcount >= 0),
	joiners BIGINT NOT NULL CHECK (joiners >= 0),
	leavers BIGINT NOT NULL CHECK (leavers >= 0),
	PRIMARY KEY (period_id, category_id, rank_band)
);

-- The standard classifications and instrument are seeded by the program
-- (domain/category.c, domain/survey.c), not here, so that a migrated database
-- stays empty for consent copy.
