-- 0001: areas, organisations, accounts, memberships, sessions, settings.
-- Dialect tokens (@ID@, @BLOB@) are explained in store/dialect.c.

CREATE TABLE settings (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Areas form a hierarchy: force area > district > neighbourhood.
CREATE TABLE areas (
	id @ID@,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('force_area', 'district', 'neighbourhood')),
	parent_id BIGINT REFERENCES areas (id),
	created_at BIGINT NOT NULL
);
CREATE INDEX areas_parent ON areas (parent_id);

CREATE TABLE orgs (
	id @ID@,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('police', 'community', 'oversight')),
	description TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);

CREATE TABLE org_areas (
	org_id BIGINT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	area_id BIGINT NOT NULL REFERENCES areas (id) ON DELETE CASCADE,
	PRIMARY KEY (org_id, area_id)
);
CREATE INDEX org_areas_area ON org_areas (area_id);

-- Staff and resident accounts. public_id is the pseudonymous actor id used
-- in the accountability log; email is the login name (lower-cased).
CREATE TABLE users (
	id @ID@,
	public_id TEXT NOT NULL UNIQUE,
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,
	is_admin BIGINT NOT NULL DEFAULT 0,
	lang TEXT,
	disabled BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);

-- A user's role in an organisation; the role must fit the organisation's
-- kind (checked in domain/org.c).
CREATE TABLE memberships (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	org_id BIGINT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('org_member', 'org_admin', 'officer', 'supervisor', 'overseer')),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, org_id)
);
CREATE INDEX memberships_org ON memberships (org_id);

-- Sessions: only the SHA-256 of the token is stored.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
