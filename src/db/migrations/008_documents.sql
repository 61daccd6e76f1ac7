-- documents: the resources the guide protects. Public and internal bodies are stored in clear;
-- confidential and restricted bodies only as field ciphertext (keys capability, context
-- documents:body:<id>), never both. seq orders listings and cursors.

CREATE TABLE documents (
  id              uuid PRIMARY KEY,
  seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  domain          text NOT NULL CHECK (domain IN ('compliance', 'marketing', 'feedback')),
  classification  text NOT NULL CHECK (classification IN ('public', 'internal', 'confidential', 'restricted')),
  title           text NOT NULL,
  body            text,
  body_ciphertext text,
  owner           text NOT NULL,
  tags            text[] NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  created_by      text NOT NULL,
  updated_by      text NOT NULL,
  CHECK ((body IS NULL) <> (body_ciphertext IS NULL)),
  CHECK ((classification IN ('public', 'internal')) = (body IS NOT NULL))
);
CREATE INDEX documents_list ON documents (domain, classification, seq DESC);
CREATE INDEX documents_seq ON documents (seq DESC);
CREATE INDEX documents_tags ON documents USING gin (tags);
