-- Keys: the master key's check value, the keyring (named keys and their wrapped versions)
-- and per-subject keys for crypto-shredding. No key material is ever stored in clear.

-- One row: the key check value of the master key this database was first started with.
CREATE TABLE key_master_check (
  id          int PRIMARY KEY CHECK (id = 1),
  wrapper     text NOT NULL,
  kcv         text NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE keyring_keys (
  name                    text PRIMARY KEY,
  type                    text NOT NULL CHECK (type IN ('aes256-gcm', 'ed25519', 'hmac-sha256')),
  primary_version         int NOT NULL CHECK (primary_version >= 1),
  min_decryption_version  int NOT NULL DEFAULT 1 CHECK (min_decryption_version >= 1),
  deletion_protection     boolean NOT NULL DEFAULT true,
  created_at              timestamptz NOT NULL,
  rotated_at              timestamptz NOT NULL
);

-- wrapped: the version's material sealed by the master key (AES-256-GCM), bound to name, version and type.
CREATE TABLE keyring_versions (
  name        text NOT NULL REFERENCES keyring_keys (name) ON DELETE CASCADE,
  version     int NOT NULL CHECK (version >= 1),
  wrapped     text NOT NULL,
  public_key  text,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (name, version)
);

-- Per-subject keys. Shredding sets wrapped to NULL: the row stays as the record of destruction.
CREATE TABLE subject_keys (
  key_id       text PRIMARY KEY,
  subject_id   text NOT NULL UNIQUE,
  wrapped      text,
  created_at   timestamptz NOT NULL,
  shredded_at  timestamptz,
  CHECK ((wrapped IS NULL) = (shredded_at IS NOT NULL))
);
