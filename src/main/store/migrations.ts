/**
 * Versioned schema. Each entry runs once, in order, inside a transaction; PRAGMA user_version records the last one.
 * Never edit a shipped migration: add a new one.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE passages (
    id              INTEGER PRIMARY KEY,
    lsh             TEXT    NOT NULL UNIQUE,
    lane_id         TEXT    NOT NULL,
    gate_code       TEXT    NOT NULL,
    direction       TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    plate           TEXT    NOT NULL,
    plate_colour    TEXT    NOT NULL,
    recognized_at   INTEGER NOT NULL,
    tgsjq           TEXT    NOT NULL,
    tgsjz           TEXT    NOT NULL,
    decision        TEXT    NOT NULL CHECK (decision IN ('allow', 'refuse', 'guard')),
    reason_code     TEXT    NOT NULL,
    reason_text     TEXT    NOT NULL,
    decided_offline INTEGER NOT NULL,
    verdict_json    TEXT,
    bgzt            TEXT    NOT NULL CHECK (bgzt IN ('0', '1')),
    source          TEXT    NOT NULL CHECK (source IN ('manual', 'lpr')),
    created_at      INTEGER NOT NULL
  );
  CREATE INDEX passages_by_time ON passages (recognized_at);

  CREATE TABLE photos (
    id          INTEGER PRIMARY KEY,
    passage_id  INTEGER NOT NULL REFERENCES passages (id),
    zpbh        TEXT    NOT NULL,
    zplx        TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    bytes       INTEGER NOT NULL,
    taken_at    INTEGER NOT NULL,
    UNIQUE (passage_id, zpbh)
  );

  CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,
    idem_key        TEXT    NOT NULL,
    passage_id      INTEGER REFERENCES passages (id),
    photo_id        INTEGER REFERENCES photos (id),
    after_id        INTEGER REFERENCES outbox (id),
    payload         TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    reply           TEXT,
    created_at      INTEGER NOT NULL,
    done_at         INTEGER,
    UNIQUE (kind, idem_key)
  );
  CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
  CREATE INDEX outbox_by_passage ON outbox (passage_id);

  CREATE TABLE verification_cache (
    plate        TEXT    NOT NULL,
    plate_colour TEXT    NOT NULL,
    verdict_json TEXT    NOT NULL,
    verified_at  INTEGER NOT NULL,
    PRIMARY KEY (plate, plate_colour)
  );
  `,
  // Local users (scrypt hashes) and the append-only, hash-chained audit log (Guard UI / Operations issues).
  `
  CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('guard', 'admin')),
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
  );

  CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_json TEXT,
    action     TEXT    NOT NULL,
    subject    TEXT,
    detail     TEXT    NOT NULL,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL
  );
  CREATE INDEX audit_by_action ON audit_log (action, id);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  `
]
