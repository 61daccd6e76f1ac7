-- MFA: one TOTP authenticator per user (secret encrypted by the keyring, last used step for
-- replay refusal) and hashed single-use backup codes.

CREATE TABLE mfa_totp (
  user_id      text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_enc   text NOT NULL,
  created_at   timestamptz NOT NULL,
  confirmed_at timestamptz,
  last_step    bigint NOT NULL DEFAULT 0
);

CREATE TABLE mfa_backup_codes (
  user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  text NOT NULL,
  created_at timestamptz NOT NULL,
  used_at    timestamptz,
  PRIMARY KEY (user_id, code_hash)
);
