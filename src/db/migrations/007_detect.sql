-- detect: rules, engine state per active (rule, key), alerts, notification channels and the delivery outbox.

-- Custom rules, and overrides of built-in ones (built-ins live in code; a row here replaces one).
CREATE TABLE detect_rules (
  id          text PRIMARY KEY,
  definition  jsonb NOT NULL,
  builtin     boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL,
  updated_by  text
);

-- One row: who last advanced the engine state (processes compare it to know whether their cache is current),
-- the rules version (bumped on every rule change so every process reloads its rules), and where the state
-- snapshot in detect_state stands in the event stream: the snapshot holds every event up to (snap_tx_id,
-- snap_id); a process that takes over loads it and replays the stored events after that point.
CREATE TABLE detect_meta (
  id              int PRIMARY KEY CHECK (id = 1),
  version         bigint NOT NULL DEFAULT 0,
  owner           text,
  rules_version   bigint NOT NULL DEFAULT 0,
  snap_tx_id      xid8 NOT NULL DEFAULT '0'::xid8,
  snap_id         bigint NOT NULL DEFAULT 0,
  snap_watermarks jsonb NOT NULL DEFAULT '{}'::jsonb
);
INSERT INTO detect_meta (id) VALUES (1);

-- The snapshot of the engine's key states (window buffers and open episodes of active keys), as a log of
-- chunks read in seq order: 'full' chunks hold every live state, 'delta' chunks the states changed (or dropped)
-- since, 'drop_rule' forgets a rule's states. A full snapshot replaces everything before it. Chunks are JSON
-- text: one row holds thousands of keys, so a snapshot costs a few inserts, not one upsert per key.
CREATE TABLE detect_state (
  seq         bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('full', 'delta', 'drop_rule')),
  entries     int NOT NULL,
  data        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE detect_alerts (
  id           uuid PRIMARY KEY,
  rule_id      text NOT NULL,
  title        text NOT NULL,
  key          jsonb NOT NULL,
  severity     text NOT NULL,
  severity_id  int NOT NULL,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
  count        int NOT NULL,
  first_seen   timestamptz NOT NULL,
  last_seen    timestamptz NOT NULL,
  evidence     jsonb NOT NULL,
  state_key    text NOT NULL,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  acked_by     text,
  acked_at     timestamptz,
  ack_note     text,
  resolved_by  text,
  resolved_at  timestamptz,
  resolve_note text
);
CREATE INDEX detect_alerts_recent ON detect_alerts (last_seen DESC);
CREATE INDEX detect_alerts_status ON detect_alerts (status, last_seen DESC);
CREATE INDEX detect_alerts_rule ON detect_alerts (rule_id, last_seen DESC);

CREATE TABLE detect_channels (
  id            uuid PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  kind          text NOT NULL CHECK (kind IN ('email', 'slack', 'sms', 'webhook')),
  min_severity  text NOT NULL,
  enabled       boolean NOT NULL DEFAULT true,
  config        jsonb NOT NULL,
  secret        text,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

-- The notification outbox: one row per (alert, channel), retried with backoff, leased while sending.
CREATE TABLE detect_deliveries (
  id               uuid PRIMARY KEY,
  alert_id         uuid NOT NULL REFERENCES detect_alerts (id) ON DELETE CASCADE,
  channel_id       uuid NOT NULL REFERENCES detect_channels (id) ON DELETE CASCADE,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         int NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  lease_until      timestamptz,
  last_error       text,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL,
  log              jsonb NOT NULL DEFAULT '[]'::jsonb,
  UNIQUE (alert_id, channel_id)
);
CREATE INDEX detect_deliveries_due ON detect_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX detect_deliveries_alert ON detect_deliveries (alert_id);
