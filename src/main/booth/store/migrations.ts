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
  // Lane issue: barrier outcome and plate correction on the passage, control measures, local lists, the audit of
  // manual actions (append-only), alarms, and a minimal in-plant vehicle lookup until the ledgers land.
  `
  ALTER TABLE passages ADD COLUMN gate_signal TEXT CHECK (gate_signal IN ('0', '1', '2'));
  ALTER TABLE passages ADD COLUMN forced INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE passages ADD COLUMN original_plate TEXT;
  ALTER TABLE passages ADD COLUMN original_plate_colour TEXT;
  CREATE INDEX passages_by_plate ON passages (plate, recognized_at);

  CREATE TABLE control_measures (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    level           TEXT,
    area            TEXT,
    strategy        TEXT,
    enterprise_type TEXT,
    measures        TEXT,
    note            TEXT    NOT NULL DEFAULT '',
    updated_at      INTEGER NOT NULL,
    updated_by      TEXT    NOT NULL
  );

  CREATE TABLE local_lists (
    kind        TEXT    NOT NULL CHECK (kind IN ('white', 'black')),
    plate       TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    created_by  TEXT    NOT NULL,
    PRIMARY KEY (kind, plate)
  );

  CREATE TABLE manual_actions (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    TEXT,
    actor_name  TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    lane_id     TEXT,
    passage_id  INTEGER REFERENCES passages (id),
    plate       TEXT,
    reason      TEXT,
    note        TEXT    NOT NULL DEFAULT '',
    violation   INTEGER NOT NULL DEFAULT 0,
    details     TEXT
  );
  CREATE TRIGGER manual_actions_no_update BEFORE UPDATE ON manual_actions BEGIN SELECT RAISE(ABORT, 'manual_actions is append-only'); END;
  CREATE TRIGGER manual_actions_no_delete BEFORE DELETE ON manual_actions BEGIN SELECT RAISE(ABORT, 'manual_actions is append-only'); END;

  CREATE TABLE alarms (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL,
    warning_type     TEXT,
    lane_id          TEXT,
    plate            TEXT,
    passage_id       INTEGER REFERENCES passages (id),
    message          TEXT    NOT NULL,
    dedup_key        TEXT,
    raised_at        INTEGER NOT NULL,
    acknowledged_at  INTEGER,
    acknowledged_by  TEXT,
    note             TEXT
  );
  CREATE INDEX alarms_open ON alarms (acknowledged_at, raised_at);
  CREATE INDEX alarms_by_key ON alarms (dedup_key);

  CREATE TABLE IF NOT EXISTS inner_vehicles (
    license           TEXT NOT NULL,
    license_color     TEXT NOT NULL,
    emission_standard TEXT NOT NULL DEFAULT '',
    car_status        TEXT NOT NULL DEFAULT '1',
    PRIMARY KEY (license, license_color)
  );
  `,
  // Operations: a daily rollup of passages for the statistics of spec 4.2.12, kept by triggers so a month of
  // statistics reads a few hundred rows instead of scanning 12 months of passages. Rows are never decremented on
  // delete: the retention sweep removes old passages but their statistics stay.
  `
  CREATE TABLE passage_daily (
    day            TEXT    NOT NULL,
    lane_id        TEXT    NOT NULL,
    direction      TEXT    NOT NULL,
    plate_prefix   TEXT    NOT NULL,
    emission_stage TEXT    NOT NULL,
    is_control     TEXT    NOT NULL,
    reason_code    TEXT    NOT NULL,
    bgzt           TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    passages       INTEGER NOT NULL,
    PRIMARY KEY (day, lane_id, direction, plate_prefix, emission_stage, is_control, reason_code, bgzt, source)
  ) WITHOUT ROWID;

  CREATE TRIGGER passage_daily_on_insert AFTER INSERT ON passages BEGIN
    INSERT INTO passage_daily VALUES (
      substr(NEW.tgsjq, 1, 10), NEW.lane_id, NEW.direction, substr(NEW.plate, 1, 2),
      COALESCE(json_extract(NEW.verdict_json, '$.emissionStandard'), ''), COALESCE(json_extract(NEW.verdict_json, '$.isControl'), ''),
      NEW.reason_code, NEW.bgzt, NEW.source, 1)
    ON CONFLICT DO UPDATE SET passages = passages + 1;
  END;

  CREATE TRIGGER passage_daily_on_update
  AFTER UPDATE OF tgsjq, lane_id, direction, plate, verdict_json, reason_code, bgzt, source ON passages BEGIN
    UPDATE passage_daily SET passages = passages - 1
     WHERE day = substr(OLD.tgsjq, 1, 10) AND lane_id = OLD.lane_id AND direction = OLD.direction
       AND plate_prefix = substr(OLD.plate, 1, 2)
       AND emission_stage = COALESCE(json_extract(OLD.verdict_json, '$.emissionStandard'), '')
       AND is_control = COALESCE(json_extract(OLD.verdict_json, '$.isControl'), '')
       AND reason_code = OLD.reason_code AND bgzt = OLD.bgzt AND source = OLD.source;
    INSERT INTO passage_daily VALUES (
      substr(NEW.tgsjq, 1, 10), NEW.lane_id, NEW.direction, substr(NEW.plate, 1, 2),
      COALESCE(json_extract(NEW.verdict_json, '$.emissionStandard'), ''), COALESCE(json_extract(NEW.verdict_json, '$.isControl'), ''),
      NEW.reason_code, NEW.bgzt, NEW.source, 1)
    ON CONFLICT DO UPDATE SET passages = passages + 1;
  END;

  INSERT INTO passage_daily
  SELECT substr(tgsjq, 1, 10), lane_id, direction, substr(plate, 1, 2),
         COALESCE(json_extract(verdict_json, '$.emissionStandard'), ''), COALESCE(json_extract(verdict_json, '$.isControl'), ''),
         reason_code, bgzt, source, COUNT(*)
    FROM passages WHERE true
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

  CREATE INDEX outbox_by_photo ON outbox (photo_id);
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
    `,
  // Admin ledgers (台账): images (JPEG after conversion), the change history with each change's outbox row, goods
  // records and names, vehicle registrations, machines, and the in-plant vehicle ledger rebuilt with all its 4.1.7
  // columns and an id (the lane reads it offline: still one row per plate and colour). Plates are searched by prefix
  // as a range on their index; pages are ordered by that index, so a page reads only its rows.
  `
  CREATE TABLE ledger_images (
    id         INTEGER PRIMARY KEY,
    sha256     TEXT    NOT NULL,
    bytes      INTEGER NOT NULL,
    jpeg       BLOB    NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE ledger_changes (
    id         INTEGER PRIMARY KEY,
    ledger     TEXT    NOT NULL CHECK (ledger IN ('goods', 'vehicles', 'innerVehicles', 'machines')),
    row_id     INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    by_name    TEXT    NOT NULL,
    by_user    TEXT,
    action     TEXT    NOT NULL CHECK (action IN ('create', 'update', 'status', 'import')),
    changes    TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    outbox_id  INTEGER
  );
  CREATE INDEX ledger_changes_by_row ON ledger_changes (ledger, row_id, id);
  CREATE INDEX ledger_changes_by_outbox ON ledger_changes (outbox_id);

  CREATE TABLE goods_names (
    name     TEXT    PRIMARY KEY,
    position INTEGER NOT NULL
  );

  CREATE TABLE goods_records (
    id          INTEGER PRIMARY KEY,
    passage_id  INTEGER UNIQUE,
    lsh         TEXT    NOT NULL UNIQUE,
    lane_id     TEXT,
    gate_code   TEXT    NOT NULL,
    cphm        TEXT    NOT NULL,
    cpys        TEXT    NOT NULL,
    hwmc        TEXT    NOT NULL,
    ysl         TEXT    NOT NULL,
    djsj        TEXT    NOT NULL,
    weighed     INTEGER NOT NULL DEFAULT 0,
    source      TEXT    NOT NULL CHECK (source IN ('guard', 'admin', 'import')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT    NOT NULL
  );
  CREATE INDEX goods_by_plate ON goods_records (cphm ASC, id DESC);
  CREATE INDEX goods_by_day ON goods_records (djsj);

  CREATE TABLE vehicle_registrations (
    id                    INTEGER PRIMARY KEY,
    license               TEXT    NOT NULL,
    license_color         TEXT    NOT NULL,
    vehicle_type          TEXT    NOT NULL DEFAULT '',
    vin                   TEXT    NOT NULL DEFAULT '',
    use_character         TEXT    NOT NULL DEFAULT '',
    engine_no             TEXT    NOT NULL DEFAULT '',
    onwer                 TEXT    NOT NULL DEFAULT '',
    address               TEXT    NOT NULL DEFAULT '',
    model                 TEXT    NOT NULL DEFAULT '',
    register_date         TEXT    NOT NULL DEFAULT '',
    issue_date            TEXT    NOT NULL DEFAULT '',
    emission_standard     TEXT    NOT NULL DEFAULT '',
    driving_license_img   INTEGER REFERENCES ledger_images (id),
    driving_license_img2  INTEGER REFERENCES ledger_images (id),
    passage_id            INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    updated_by            TEXT    NOT NULL,
    UNIQUE (license, license_color)
  );

  CREATE TABLE inner_vehicles_ledger (
    id                    INTEGER PRIMARY KEY,
    license               TEXT    NOT NULL,
    license_color         TEXT    NOT NULL,
    vehicle_type          TEXT    NOT NULL DEFAULT '',
    vin                   TEXT    NOT NULL DEFAULT '',
    use_character         TEXT    NOT NULL DEFAULT '',
    engine_no             TEXT    NOT NULL DEFAULT '',
    onwer                 TEXT    NOT NULL DEFAULT '',
    address               TEXT    NOT NULL DEFAULT '',
    model                 TEXT    NOT NULL DEFAULT '',
    register_date         TEXT    NOT NULL DEFAULT '',
    issue_date            TEXT    NOT NULL DEFAULT '',
    emission_standard     TEXT    NOT NULL DEFAULT '',
    driving_license_img   INTEGER REFERENCES ledger_images (id),
    driving_license_img2  INTEGER REFERENCES ledger_images (id),
    car_status            TEXT    NOT NULL DEFAULT '1' CHECK (car_status IN ('1', '2', '3')),
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    updated_by            TEXT    NOT NULL,
    UNIQUE (license, license_color)
  );
  INSERT INTO inner_vehicles_ledger (license, license_color, emission_standard, car_status, created_at, updated_at, updated_by)
  SELECT license, license_color, emission_standard, car_status, CAST(unixepoch('subsec') * 1000 AS INTEGER), CAST(unixepoch('subsec') * 1000 AS INTEGER), '' FROM inner_vehicles;
  DROP TABLE inner_vehicles;
  ALTER TABLE inner_vehicles_ledger RENAME TO inner_vehicles;

  CREATE TABLE machines (
    id              INTEGER PRIMARY KEY,
    mhy_plate       TEXT    NOT NULL UNIQUE,
    mhy_jxmc        TEXT    NOT NULL DEFAULT '',
    emission_level  TEXT    NOT NULL DEFAULT '',
    mhy_frame_no    TEXT    NOT NULL DEFAULT '',
    mhy_prod_date   TEXT    NOT NULL DEFAULT '',
    image_info      INTEGER REFERENCES ledger_images (id),
    mhy_status      TEXT    NOT NULL DEFAULT '1' CHECK (mhy_status IN ('1', '2', '3')),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    updated_by      TEXT    NOT NULL
  );
  `,
  // Exactly once at the camera boundary (camera-reads.ts): each camera read as it arrived, so a read re-sent after a
  // crash maps to the passage it already became, and a read not decided at a crash (a queued truck) is decided at
  // start. No foreign key to passages: the retention sweep deletes old passages, and their reads are pruned apart.
  `
  CREATE TABLE camera_reads (
    id            INTEGER PRIMARY KEY,
    lane_id       TEXT    NOT NULL,
    event_id      TEXT,
    plate         TEXT    NOT NULL,
    plate_colour  TEXT    NOT NULL,
    at            INTEGER NOT NULL,
    camera_at     INTEGER,
    source        TEXT    NOT NULL,
    photos        TEXT    NOT NULL DEFAULT '[]',
    state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'recorded', 'merged')),
    passage_id    INTEGER,
    received_at   INTEGER NOT NULL,
    done_at       INTEGER
  );
  CREATE INDEX camera_reads_by_plate ON camera_reads (lane_id, plate, at);
  CREATE INDEX camera_reads_pending ON camera_reads (id) WHERE state = 'pending';
  CREATE INDEX camera_reads_by_received ON camera_reads (received_at);
  `,
  // The admin's settings (docs/admin.md): when control measures start and end, how long a list entry holds, and per
  // lane the allowed plate colours (JSON array of B7.1 codes, empty = all), 二次确认 and goods before exit. An alarm
  // of a device is resolved when the device is back (acknowledged is not resolved).
  `
  ALTER TABLE control_measures ADD COLUMN starts_at INTEGER;
  ALTER TABLE control_measures ADD COLUMN ends_at INTEGER;
  ALTER TABLE local_lists ADD COLUMN expires_at INTEGER;
  ALTER TABLE alarms ADD COLUMN resolved_at INTEGER;

  CREATE TABLE lane_settings (
    lane_id           TEXT    PRIMARY KEY,
    allowed_colours   TEXT    NOT NULL DEFAULT '[]',
    confirm_each      INTEGER NOT NULL DEFAULT 0 CHECK (confirm_each IN (0, 1)),
    goods_before_exit INTEGER NOT NULL DEFAULT 0 CHECK (goods_before_exit IN (0, 1)),
    updated_at        INTEGER NOT NULL,
    updated_by        TEXT    NOT NULL
  );
  `,
  // Video evidence (clips.ts): per passage and recorder channel the clip's period, and for the passages that matter a
  // durable fetch job (pending → stored | missing). Deleted with its passage by the retention sweep.
  `
  CREATE TABLE passage_clips (
    id               INTEGER PRIMARY KEY,
    passage_id       INTEGER NOT NULL REFERENCES passages (id),
    recorder         TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    url              TEXT    NOT NULL,
    channel          TEXT    NOT NULL,
    start_at         INTEGER NOT NULL,
    end_at           INTEGER NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'reference' CHECK (state IN ('reference', 'pending', 'stored', 'missing')),
    cause            TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER,
    last_error       TEXT,
    path             TEXT,
    sha256           TEXT,
    bytes            INTEGER,
    duration_ms      INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (passage_id, channel)
  );
  CREATE INDEX passage_clips_due ON passage_clips (next_attempt_at) WHERE state = 'pending';
  `,
  // Plate search by any part of a plate (passages.ts list): every distinct plate with its passage count, and each of
  // its 1-, 2- and 3-character substrings (upper case, as LIKE folds case) pointing at it, kept by triggers. A fragment
  // finds its plates through its rarest gram instead of a LIKE scan over a year of passages. Spans cover plates of up to
  // 32 characters (valid plates have at most 8). Counts are decremented on delete; plates at zero stay, harmlessly.
  `
  CREATE TABLE plate_gram_spans (start INTEGER NOT NULL, len INTEGER NOT NULL, PRIMARY KEY (start, len)) WITHOUT ROWID;
  WITH RECURSIVE n(start) AS (SELECT 1 UNION ALL SELECT start + 1 FROM n WHERE start < 32)
  INSERT INTO plate_gram_spans (start, len) SELECT start, len FROM n, (SELECT 1 AS len UNION ALL SELECT 2 UNION ALL SELECT 3);

  CREATE TABLE plates (plate TEXT PRIMARY KEY, passages INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE plate_grams (gram TEXT NOT NULL, plate TEXT NOT NULL, PRIMARY KEY (gram, plate)) WITHOUT ROWID;

  INSERT INTO plates (plate, passages) SELECT plate, COUNT(*) FROM passages GROUP BY plate;
  INSERT OR IGNORE INTO plate_grams (gram, plate)
  SELECT upper(substr(p.plate, s.start, s.len)), p.plate FROM plates p JOIN plate_gram_spans s ON s.start + s.len - 1 <= length(p.plate);

  CREATE TRIGGER plates_on_insert AFTER INSERT ON passages BEGIN
    INSERT OR IGNORE INTO plate_grams (gram, plate)
    SELECT upper(substr(NEW.plate, start, len)), NEW.plate FROM plate_gram_spans
     WHERE start + len - 1 <= length(NEW.plate) AND NOT EXISTS (SELECT 1 FROM plates WHERE plate = NEW.plate);
    INSERT INTO plates (plate, passages) VALUES (NEW.plate, 1) ON CONFLICT DO UPDATE SET passages = passages + 1;
  END;
  CREATE TRIGGER plates_on_plate_update AFTER UPDATE OF plate ON passages WHEN OLD.plate IS NOT NEW.plate BEGIN
    UPDATE plates SET passages = passages - 1 WHERE plate = OLD.plate;
    INSERT OR IGNORE INTO plate_grams (gram, plate)
    SELECT upper(substr(NEW.plate, start, len)), NEW.plate FROM plate_gram_spans
     WHERE start + len - 1 <= length(NEW.plate) AND NOT EXISTS (SELECT 1 FROM plates WHERE plate = NEW.plate);
    INSERT INTO plates (plate, passages) VALUES (NEW.plate, 1) ON CONFLICT DO UPDATE SET passages = passages + 1;
  END;
  CREATE TRIGGER plates_on_delete AFTER DELETE ON passages BEGIN
    UPDATE plates SET passages = passages - 1 WHERE plate = OLD.plate;
  END;
  `,
  // Who raised the arm of a passage (docs/lane.md, "Raise source"): plate, guard, remote (遥控抬杆), hand; NULL: not raised.
  `
  ALTER TABLE passages ADD COLUMN raise_source TEXT CHECK (raise_source IN ('plate', 'guard', 'remote', 'hand'));
  `,
  // Plant mode (docs/plant.md): the revision of the plant's change feed this booth's replica holds.
  `
  CREATE TABLE plant_replica (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    revision   INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // The vehicle's class as the lane camera saw it (contract VehicleClass, docs/devices.md "Vehicle type"): kept on the
  // camera read (so a read resumed after a stop keeps it) and on the passage; NULL where the camera did not say.
  `
  ALTER TABLE camera_reads ADD COLUMN vehicle_class TEXT;
  ALTER TABLE passages ADD COLUMN vehicle_class TEXT;
  `,
  // Plant mode, strict per-gate order (docs/plant.md): rows of one order key go one at a time in insertion order.
  `
  ALTER TABLE outbox ADD COLUMN order_key TEXT;
  CREATE INDEX outbox_order_pending ON outbox (order_key, id, next_attempt_at) WHERE state = 'pending' AND order_key IS NOT NULL;
  CREATE INDEX outbox_pending_unordered ON outbox (id) WHERE state = 'pending' AND order_key IS NULL;
  `,
  // The sync worker's two lanes (docs/sync.md): pending unordered records and pending photos each walked in id order
  // alone (an ordered row is found through outbox_order_pending).
  `
  CREATE INDEX outbox_pending_records ON outbox (id) WHERE state = 'pending' AND order_key IS NULL AND kind != 'sharePhotoInfo';
  CREATE INDEX outbox_pending_photos ON outbox (id) WHERE state = 'pending' AND order_key IS NULL AND kind = 'sharePhotoInfo';
  `
]
