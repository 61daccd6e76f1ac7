-- pii: restore mappings for pseudonymized text. The id is the SHA-256 (hex) of the
-- restore token, never the token; the mapping is encrypted with the keyring.
CREATE TABLE IF NOT EXISTS pii_restore_mappings (
  id          text PRIMARY KEY,
  ciphertext  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS pii_restore_mappings_expires_idx ON pii_restore_mappings (expires_at);
