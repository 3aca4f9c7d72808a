-- 0001: the initial schema, created in the connection's current schema
-- (the first of its search_path). Text keys use COLLATE "C" so that the
-- store orders by code point, as the SQLite store does, whatever the
-- database's collation. Secrets (tool_proxies.secret,
-- tool_proxy_proposals.secret, registrations.password) hold sealed strings
-- only.

CREATE TABLE tool_proxies (
	guid     text COLLATE "C" NOT NULL PRIMARY KEY,
	version  text NOT NULL,
	secret   text NOT NULL,
	status   text NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
	document bytea,
	name     text NOT NULL,
	profile  bytea,
	created  timestamptz NOT NULL,
	updated  timestamptz NOT NULL
);

CREATE TABLE tool_proxy_proposals (
	guid        text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES tool_proxies (guid) ON DELETE CASCADE,
	document    bytea,
	secret      text NOT NULL,
	confirm_url text NOT NULL,
	created     timestamptz NOT NULL
);

-- A used credential keeps its row (so that its key can never serve
-- again) with its password cleared.
CREATE TABLE registrations (
	reg_key    text COLLATE "C" NOT NULL PRIMARY KEY,
	password   text NOT NULL,
	return_url text NOT NULL,
	expires    timestamptz NOT NULL,
	created    timestamptz NOT NULL,
	used       boolean NOT NULL DEFAULT false
);

CREATE TABLE contexts (
	id    text COLLATE "C" NOT NULL PRIMARY KEY,
	type  text NOT NULL,
	label text NOT NULL,
	title text NOT NULL
);

CREATE TABLE bindings (
	guid       text COLLATE "C" NOT NULL REFERENCES tool_proxies (guid) ON DELETE CASCADE,
	context_id text COLLATE "C" NOT NULL,
	PRIMARY KEY (guid, context_id)
);

-- custom is a JSON array of [name, value] pairs.
CREATE TABLE links (
	id            text COLLATE "C" NOT NULL PRIMARY KEY,
	context_id    text COLLATE "C" NOT NULL,
	guid          text COLLATE "C" NOT NULL REFERENCES tool_proxies (guid) ON DELETE CASCADE,
	resource_type text NOT NULL,
	title         text NOT NULL,
	custom        jsonb NOT NULL,
	gradable      boolean NOT NULL
);
CREATE INDEX links_by_context ON links (context_id, id);
CREATE INDEX links_by_guid ON links (guid);

-- context_id and link_id are '' where the scope has none.
CREATE TABLE settings (
	guid       text COLLATE "C" NOT NULL REFERENCES tool_proxies (guid) ON DELETE CASCADE,
	kind       text COLLATE "C" NOT NULL,
	context_id text COLLATE "C" NOT NULL,
	link_id    text COLLATE "C" NOT NULL,
	name       text COLLATE "C" NOT NULL,
	value      text NOT NULL,
	PRIMARY KEY (guid, kind, context_id, link_id, name)
);

CREATE TABLE users (
	id         text COLLATE "C" NOT NULL PRIMARY KEY,
	sourced_id text NOT NULL,
	name       text NOT NULL,
	given      text NOT NULL,
	family     text NOT NULL,
	email      text NOT NULL
);

-- roles keeps the membership's role URIs in the order given;
-- membership_roles indexes them for the exact-match role filter.
CREATE TABLE memberships (
	context_id text COLLATE "C" NOT NULL,
	user_id    text COLLATE "C" NOT NULL,
	roles      text[] NOT NULL,
	active     boolean NOT NULL,
	PRIMARY KEY (context_id, user_id)
);

CREATE TABLE membership_roles (
	context_id text COLLATE "C" NOT NULL,
	user_id    text COLLATE "C" NOT NULL,
	role       text COLLATE "C" NOT NULL,
	PRIMARY KEY (context_id, role, user_id),
	FOREIGN KEY (context_id, user_id) REFERENCES memberships (context_id, user_id) ON DELETE CASCADE
);
CREATE INDEX membership_roles_by_member ON membership_roles (context_id, user_id);

CREATE TABLE results (
	sourced_id text COLLATE "C" NOT NULL PRIMARY KEY,
	link_id    text COLLATE "C" NOT NULL,
	user_id    text COLLATE "C" NOT NULL,
	score      double precision,
	language   text NOT NULL,
	comment    text NOT NULL,
	updated    timestamptz NOT NULL
);
CREATE INDEX results_by_link ON results (link_id, user_id);

CREATE TABLE nonces (
	consumer_key text COLLATE "C" NOT NULL,
	nonce        text COLLATE "C" NOT NULL,
	expires      timestamptz NOT NULL,
	PRIMARY KEY (consumer_key, nonce)
);
CREATE INDEX nonces_by_expiry ON nonces (expires);
