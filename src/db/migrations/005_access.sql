-- access: permissions, roles and their grants, as data. Built-in permissions and roles are
-- synchronised from the code's catalogue at start (src/access/catalogue.ts); custom roles
-- are created by holders of admin:users. Which roles a user holds lives with the user (identity).

CREATE TABLE access_permissions (
  name        text PRIMARY KEY,
  description text NOT NULL,
  builtin     boolean NOT NULL DEFAULT true
);

CREATE TABLE access_roles (
  name        text PRIMARY KEY,
  description text NOT NULL DEFAULT '',
  builtin     boolean NOT NULL DEFAULT false,
  superuser   boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text
);

CREATE TABLE access_role_permissions (
  role        text NOT NULL REFERENCES access_roles (name) ON DELETE CASCADE,
  permission  text NOT NULL REFERENCES access_permissions (name) ON DELETE CASCADE,
  PRIMARY KEY (role, permission)
);

-- One row: bumped on every change to roles or grants, so every process recompiles its policy.
CREATE TABLE access_meta (
  id       int PRIMARY KEY CHECK (id = 1),
  version  bigint NOT NULL DEFAULT 0
);
INSERT INTO access_meta (id) VALUES (1);
