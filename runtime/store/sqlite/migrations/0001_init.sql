-- 0001: the initial schema. Times are TEXT in UTC with microseconds,
-- "YYYY-MM-DDTHH:MM:SS.ffffffZ", so that they compare as strings. Secrets
-- (tool_proxies.secret, tool_proxy_proposals.secret,
-- registrations.password) hold sealed strings only.

CREATE TABLE tool_proxies (
	guid     TEXT NOT NULL PRIMARY KEY,
	version  TEXT NOT NULL,
	secret   TEXT NOT NULL,
	status   TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
	document BLOB,
	name     TEXT NOT NULL,
	profile  BLOB,
	created  TEXT NOT NULL,
	updated  TEXT NOT NULL
) STRICT;

CREATE TABLE tool_proxy_proposals (
	guid        TEXT NOT NULL PRIMARY KEY REFERENCES tool_proxies (guid) ON DELETE CASCADE,
	document    BLOB,
	secret      TEXT NOT NULL,
	confirm_url TEXT NOT NULL,
	created     TEXT NOT NULL
) STRICT;

-- A used credential keeps its row (so that its key can never serve
-- again) with its password cleared.
CREATE TABLE registrations (
	reg_key    TEXT NOT NULL PRIMARY KEY,
	password   TEXT NOT NULL,
	return_url TEXT NOT NULL,
	expires    TEXT NOT NULL,
	created    TEXT NOT NULL,
	used       INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE contexts (
	id    TEXT NOT NULL PRIMARY KEY,
	type  TEXT NOT NULL,
	label TEXT NOT NULL,
	title TEXT NOT NULL
) STRICT;

CREATE TABLE bindings (
	guid       TEXT NOT NULL REFERENCES tool_proxies (guid) ON DELETE CASCADE,
	context_id TEXT NOT NULL,
	PRIMARY KEY (guid, context_id)
) STRICT;

-- custom is a JSON array of [name, value] pairs.
CREATE TABLE links (
	id            TEXT NOT NULL PRIMARY KEY,
	context_id    TEXT NOT NULL,
	guid          TEXT NOT NULL REFERENCES tool_proxies (guid) ON DELETE CASCADE,
	resource_type TEXT NOT NULL,
	title         TEXT NOT NULL,
	custom        TEXT NOT NULL,
	gradable      INTEGER NOT NULL
) STRICT;
CREATE INDEX links_by_context ON links (context_id, id);
CREATE INDEX links_by_guid ON links (guid);

-- context_id and link_id are '' where the scope has none.
CREATE TABLE settings (
	guid       TEXT NOT NULL REFERENCES tool_proxies (guid) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	context_id TEXT NOT NULL,
	link_id    TEXT NOT NULL,
	name       TEXT NOT NULL,
	value      TEXT NOT NULL,
	PRIMARY KEY (guid, kind, context_id, link_id, name)
) STRICT;

CREATE TABLE users (
	id         TEXT NOT NULL PRIMARY KEY,
	sourced_id TEXT NOT NULL,
	name       TEXT NOT NULL,
	given      TEXT NOT NULL,
	family     TEXT NOT NULL,
	email      TEXT NOT NULL
) STRICT;

-- roles is the JSON array of the membership's role URIs in the order
-- given; membership_roles indexes them for the exact-match role filter.
CREATE TABLE memberships (
	context_id TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	roles      TEXT NOT NULL,
	active     INTEGER NOT NULL,
	PRIMARY KEY (context_id, user_id)
) STRICT;

CREATE TABLE membership_roles (
	context_id TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	role       TEXT NOT NULL,
	PRIMARY KEY (context_id, role, user_id),
	FOREIGN KEY (context_id, user_id) REFERENCES memberships (context_id, user_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX membership_roles_by_member ON membership_roles (context_id, user_id);

CREATE TABLE results (
	sourced_id TEXT NOT NULL PRIMARY KEY,
	link_id    TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	score      REAL,
	language   TEXT NOT NULL,
	comment    TEXT NOT NULL,
	updated    TEXT NOT NULL
) STRICT;
CREATE INDEX results_by_link ON results (link_id, user_id);

CREATE TABLE nonces (
	consumer_key TEXT NOT NULL,
	nonce        TEXT NOT NULL,
	expires      TEXT NOT NULL,
	PRIMARY KEY (consumer_key, nonce)
) STRICT, WITHOUT ROWID;
CREATE INDEX nonces_by_expiry ON nonces (expires);
