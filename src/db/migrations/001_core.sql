-- Foundation: the audit chain, its checkpoints, the security-event outbox and shared rate-limit counters.

CREATE TABLE audit_entries (
  seq          bigint PRIMARY KEY,
  occurred_at  timestamptz NOT NULL,
  actor_type   text NOT NULL,
  actor_id     text,
  actor_ip     text,
  actor_ua     text,
  action       text NOT NULL,
  target_type  text,
  target_id    text,
  outcome      text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  details      text NOT NULL,
  hash         text NOT NULL
);
CREATE INDEX audit_entries_time ON audit_entries (occurred_at);
CREATE INDEX audit_entries_action ON audit_entries (action, seq);
CREATE INDEX audit_entries_actor ON audit_entries (actor_id, seq);

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
