-- Identity: users, sessions (refresh-token families), refresh tokens (hashes only),
-- MFA login challenges, API keys (hashes only) and the one-time setup token.

CREATE TABLE users (
  id            text PRIMARY KEY,
  email         text NOT NULL,
  name          text NOT NULL DEFAULT '',
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  roles         text[] NOT NULL DEFAULT '{}',
  password_hash text,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  last_login_at timestamptz,
  password_changed_at timestamptz,
  -- lockout: consecutive failures, lock end, and the hourly attempt window
  failed_count  int NOT NULL DEFAULT 0,
  locked_until  timestamptz,
  window_start  timestamptz,
  window_count  int NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

CREATE TABLE sessions (
  id              text PRIMARY KEY,
  user_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at      timestamptz NOT NULL,
  last_seen_at    timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  idle_expires_at timestamptz NOT NULL,
  revoked_at      timestamptz,
  revoke_reason   text,
  ip              text,
  user_agent      text,
  amr             text[] NOT NULL,
  auth_time       timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id, created_at);
CREATE INDEX sessions_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;

CREATE TABLE refresh_tokens (
  token_hash  text PRIMARY KEY,
  session_id  text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE login_challenges (
  token_hash  text PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  attempts    int NOT NULL DEFAULT 0,
  used_at     timestamptz,
  ip          text,
  user_agent  text
);

CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  prefix       text NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  roles        text[] NOT NULL DEFAULT '{}',
  created_by   text,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz
);

CREATE TABLE setup_tokens (
  id          int PRIMARY KEY CHECK (id = 1),
  token_hash  text NOT NULL,
  expires_at  timestamptz NOT NULL
);
