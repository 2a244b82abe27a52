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
  // Offline-first sync: in-flight marks for crash recovery, ordering chains, dead-letter reasons per field, fixes
  // kept with the original payload, compaction of uploaded rows, and indexes for the status figures.
  `
  ALTER TABLE outbox ADD COLUMN sending_since INTEGER;
  ALTER TABLE outbox ADD COLUMN chain TEXT;
  ALTER TABLE outbox ADD COLUMN dead_fields TEXT;
  ALTER TABLE outbox ADD COLUMN fixable INTEGER;
  ALTER TABLE outbox ADD COLUMN original_payload TEXT;
  ALTER TABLE outbox ADD COLUMN fixed_by TEXT;
  ALTER TABLE outbox ADD COLUMN fixed_at INTEGER;
  ALTER TABLE outbox ADD COLUMN compacted_at INTEGER;
  CREATE INDEX outbox_by_state_kind ON outbox (state, kind, created_at);
  CREATE INDEX outbox_by_after ON outbox (after_id);
  CREATE INDEX outbox_by_chain ON outbox (chain, id) WHERE chain IS NOT NULL;
  CREATE INDEX outbox_compactable ON outbox (done_at) WHERE state = 'done' AND compacted_at IS NULL;
  CREATE INDEX outbox_pending ON outbox (id) WHERE state = 'pending';
  `
]
