-- 0003: engagement: meetings, commitments ("You said, we did"),
-- recommendations. Dialect tokens (@ID@, @BLOB@) are explained in
-- store/dialect.c. Times are UTC seconds; a meeting also keeps the IANA
-- time zone it is held in, for display. Dates without a time (a
-- commitment's start and due dates) are ISO 8601 'YYYY-MM-DD' text, which
-- sorts and compares correctly as text.

-- uid: the iCalendar UID, a random UUID that never changes. sequence: the
-- iCalendar SEQUENCE, raised on every change.
CREATE TABLE meetings (
	id @ID@,
	uid TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	area_id BIGINT NOT NULL REFERENCES areas (id),
	starts_at BIGINT NOT NULL,
	ends_at BIGINT NOT NULL,
	tz TEXT NOT NULL,
	place TEXT NOT NULL DEFAULT '',
	online_url TEXT NOT NULL DEFAULT '',
	agenda TEXT NOT NULL DEFAULT '',
	is_public BIGINT NOT NULL DEFAULT 1,
	registration BIGINT NOT NULL DEFAULT 0,
	capacity BIGINT,
	minutes TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
	cancel_reason TEXT NOT NULL DEFAULT '',
	sequence BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	CHECK (ends_at > starts_at),
	CHECK (capacity IS NULL OR capacity > 0)
);
CREATE INDEX meetings_area ON meetings (area_id);
CREATE INDEX meetings_starts ON meetings (starts_at);

-- The organisations that organise a meeting (one or more).
CREATE TABLE meeting_orgs (
	meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	PRIMARY KEY (meeting_id, org_id)
);
CREATE INDEX meeting_orgs_org ON meeting_orgs (org_id);

-- Attendance, recorded afterwards as counts: per organisation (org_id set)
-- or per community group (grp set, e.g. "Residents of Highfields").
CREATE TABLE meeting_attendance (
	id @ID@,
	meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	org_id BIGINT REFERENCES orgs (id),
	grp TEXT NOT NULL DEFAULT '',
	people BIGINT NOT NULL CHECK (people >= 0),
	CHECK ((org_id IS NULL) <> (grp = ''))
);
CREATE INDEX meeting_attendance_meeting ON meeting_attendance (meeting_id);

-- Documents linked from a meeting (links only; nothing is uploaded).
CREATE TABLE meeting_documents (
	id @ID@,
	meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	position BIGINT NOT NULL,
	title TEXT NOT NULL,
	url TEXT NOT NULL
);
CREATE INDEX meeting_documents_meeting ON meeting_documents (meeting_id);

-- Who registered for a meeting that takes registrations (signed-in accounts;
-- organisers see only the count).
CREATE TABLE meeting_registrations (
	meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (meeting_id, user_id)
);

-- "You said, we did". The owner organisation pledged it; the co-chair (a
-- community organisation) alone can confirm that it is done.
CREATE TABLE commitments (
	id @ID@,
	title TEXT NOT NULL,
	raised TEXT NOT NULL DEFAULT '',
	pledge TEXT NOT NULL DEFAULT '',
	area_id BIGINT NOT NULL REFERENCES areas (id),
	owner_org_id BIGINT NOT NULL REFERENCES orgs (id),
	cochair_org_id BIGINT NOT NULL REFERENCES orgs (id),
	start_date TEXT,
	due_date TEXT,
	status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted',
		'in_progress', 'done', 'confirmed', 'disputed', 'declined')),
	progress BIGINT NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
	status_reason TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	CHECK (owner_org_id <> cochair_org_id)
);
CREATE INDEX commitments_area ON commitments (area_id);
CREATE INDEX commitments_owner ON commitments (owner_org_id);
CREATE INDEX commitments_cochair ON commitments (cochair_org_id);

-- Dated updates: every status change and every progress note. kind is
-- 'status' (status holds the new status) or 'progress'. org_id is the
-- organisation that acted; log_index is the entry of the accountability log
-- written in the same transaction (NULL while the log is not built in).
CREATE TABLE commitment_updates (
	id @ID@,
	commitment_id BIGINT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('status', 'progress')),
	status TEXT NOT NULL,
	progress BIGINT NOT NULL CHECK (progress BETWEEN 0 AND 100),
	body TEXT NOT NULL DEFAULT '',
	evidence TEXT NOT NULL DEFAULT '',
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	log_index BIGINT
);
CREATE INDEX commitment_updates_commitment ON commitment_updates (commitment_id);

CREATE TABLE commitment_meetings (
	commitment_id BIGINT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
	meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	PRIMARY KEY (commitment_id, meeting_id)
);
CREATE INDEX commitment_meetings_meeting ON commitment_meetings (meeting_id);

-- Policy recommendations, addressed to one organisation, which answers
-- with a status and a public response.
CREATE TABLE recommendations (
	id @ID@,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	from_org_id BIGINT REFERENCES orgs (id),
	to_org_id BIGINT NOT NULL REFERENCES orgs (id),
	area_id BIGINT REFERENCES areas (id),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected',
		'implemented')),
	reason TEXT NOT NULL DEFAULT '',
	response TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX recommendations_to ON recommendations (to_org_id);

-- The evidence behind a recommendation, as links: kind says what it is
-- (meeting and commitment also carry the id of the linked row).
CREATE TABLE recommendation_sources (
	id @ID@,
	recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
	position BIGINT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('meeting', 'commitment', 'consultation', 'practice',
		'figure', 'link')),
	ref_id BIGINT,
	title TEXT NOT NULL,
	url TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recommendation_sources_rec ON recommendation_sources (recommendation_id);
