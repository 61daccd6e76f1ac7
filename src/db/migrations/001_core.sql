-- Foundation: the audit chain, its checkpoints, the security-event outbox and shared rate-limit counters.

-- `entry` is the canonical JSON of the entry ({"seq":N,…} then sorted keys) and the only
-- source of truth: the hash covers exactly these bytes, and every queryable column is generated
-- from it, so none can be changed on its own.
CREATE FUNCTION warden_iso_ts(text) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $1::timestamptz $$;

CREATE TABLE audit_entries (
  seq          bigint PRIMARY KEY,
  entry        text NOT NULL,
  hash         text NOT NULL,
  occurred_at  timestamptz GENERATED ALWAYS AS (warden_iso_ts(entry::jsonb ->> 'occurred_at')) STORED,
  actor_id     text GENERATED ALWAYS AS (entry::jsonb -> 'actor' ->> 'id') STORED,
  action       text GENERATED ALWAYS AS (entry::jsonb ->> 'action') STORED,
  target_id    text GENERATED ALWAYS AS (entry::jsonb -> 'target' ->> 'id') STORED,
  outcome      text GENERATED ALWAYS AS (entry::jsonb ->> 'outcome') STORED
);
CREATE INDEX audit_entries_time ON audit_entries (occurred_at);
CREATE INDEX audit_entries_action ON audit_entries (action, seq);
CREATE INDEX audit_entries_actor ON audit_entries (actor_id, seq);
CREATE INDEX audit_entries_target ON audit_entries (target_id, seq);

-- The chain head: one row, locked by every append so the chain stays linear across processes.
-- anchor_seq/anchor_hash: where the remaining chain starts after retention pruning.
CREATE TABLE audit_head (
  id           int PRIMARY KEY CHECK (id = 1),
  seq          bigint NOT NULL,
  hash         text NOT NULL,
  anchor_seq   bigint NOT NULL,
  anchor_hash  text NOT NULL,
  last_checkpoint_seq bigint NOT NULL DEFAULT 0,
  last_checkpoint_at  timestamptz
);
INSERT INTO audit_head (id, seq, hash, anchor_seq, anchor_hash)
VALUES (1, 0, repeat('0', 64), 0, repeat('0', 64));

CREATE TABLE audit_checkpoints (
  seq         bigint PRIMARY KEY,
  hash        text NOT NULL,
  created_at  timestamptz NOT NULL,
  key_id      text NOT NULL,
  signature   text NOT NULL
);

-- The security-event outbox. tx_id orders delivery safely: a consumer reads only rows whose
-- transaction is older than every transaction still running.
CREATE TABLE security_events (
  id          bigserial PRIMARY KEY,
  tx_id       xid8 NOT NULL DEFAULT pg_current_xact_id(),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  time        timestamptz NOT NULL,
  type        text NOT NULL,
  class_uid   int NOT NULL,
  severity_id int NOT NULL,
  status      text NOT NULL,
  user_uid    text,
  src_ip      text,
  source      text NOT NULL,
  event       jsonb NOT NULL
);
CREATE INDEX security_events_delivery ON security_events (tx_id, id);
CREATE INDEX security_events_time ON security_events (time);
CREATE INDEX security_events_type_time ON security_events (type, time);

CREATE TABLE event_cursors (
  consumer    text PRIMARY KEY,
  last_tx_id  xid8 NOT NULL DEFAULT '0'::xid8,
  last_id     bigint NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rate_limits (
  key         text PRIMARY KEY,
  count       int NOT NULL,
  reset_at    timestamptz NOT NULL
);
