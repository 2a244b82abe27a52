/**
 * The plant's versioned schema on PostgreSQL. Each entry runs once, in order, recorded in schema_migrations (the
 * pending ones in one transaction); two plant processes starting at once take turns (an advisory lock). Never edit a shipped
 * migration: add a new one. Times are epoch milliseconds (bigint), as on the booth.
 */
export const plantMigrations: readonly string[] = [
  `
  CREATE EXTENSION IF NOT EXISTS pg_trgm;

  -- Every gate's passages, keyed by lsh (A6.4: the enterprise and gate codes are part of it, so it is plant-wide).
  CREATE TABLE passages (
    id                    bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lsh                   text    NOT NULL UNIQUE,
    booth_id              text    NOT NULL,
    lane_id               text    NOT NULL,
    gate_code             text    NOT NULL,
    direction             text    NOT NULL CHECK (direction IN ('in', 'out')),
    plate                 text    NOT NULL,
    plate_colour          text    NOT NULL,
    recognized_at         bigint  NOT NULL,
    tgsjq                 text    NOT NULL,
    tgsjz                 text    NOT NULL,
    decision              text    NOT NULL CHECK (decision IN ('allow', 'refuse', 'guard')),
    reason_code           text    NOT NULL,
    reason_text           text    NOT NULL,
    decided_offline       boolean NOT NULL,
    verdict               jsonb,
    bgzt                  text    NOT NULL CHECK (bgzt IN ('0', '1')),
    source                text    NOT NULL CHECK (source IN ('manual', 'lpr')),
    gate_signal           text    CHECK (gate_signal IN ('0', '1', '2')),
    forced                boolean NOT NULL DEFAULT false,
    original_plate        text,
    original_plate_colour text,
    received_at           bigint  NOT NULL
  );
  CREATE INDEX passages_by_time ON passages (recognized_at);
  CREATE INDEX passages_by_gate_time ON passages (gate_code, recognized_at);
  CREATE INDEX passages_by_plate ON passages (plate, recognized_at);
  CREATE INDEX passages_plate_any_part ON passages USING gin (plate gin_trgm_ops);

  CREATE TABLE photos (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    passage_id  bigint NOT NULL REFERENCES passages (id),
    zpbh        text   NOT NULL,
    zplx        text   NOT NULL,
    path        text   NOT NULL,
    sha256      text   NOT NULL,
    bytes       integer NOT NULL,
    taken_at    bigint NOT NULL,
    UNIQUE (passage_id, zpbh)
  );

  -- The city-platform outbox, as the booth's (docs/sync.md), claimed by owner: claimed_by names the plant process
  -- (it holds an advisory lock on that number while it lives), so a claim of a dead process can be recognised.
  CREATE TABLE outbox (
    id               bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             text    NOT NULL,
    idem_key         text    NOT NULL,
    passage_id       bigint  REFERENCES passages (id),
    photo_id         bigint  REFERENCES photos (id),
    after_id         bigint  REFERENCES outbox (id),
    chain            text,
    payload          jsonb   NOT NULL,
    original_payload jsonb,
    state            text    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'dead')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  bigint  NOT NULL,
    claimed_by       integer,
    sending_since    bigint,
    last_error       text,
    reply            jsonb,
    dead_fields      jsonb,
    fixable          boolean,
    fixed_by         text,
    fixed_at         bigint,
    created_at       bigint  NOT NULL,
    done_at          bigint,
    compacted_at     bigint,
    UNIQUE (kind, idem_key)
  );
  CREATE INDEX outbox_pending ON outbox (id) WHERE state = 'pending';
  CREATE INDEX outbox_claimed ON outbox (claimed_by) WHERE claimed_by IS NOT NULL;
  CREATE INDEX outbox_by_passage ON outbox (passage_id);
  CREATE INDEX outbox_by_after ON outbox (after_id);
  CREATE INDEX outbox_by_chain ON outbox (chain, id) WHERE chain IS NOT NULL;
  CREATE INDEX outbox_compactable ON outbox (done_at) WHERE state = 'done' AND compacted_at IS NULL;
  CREATE INDEX outbox_dead ON outbox (id) WHERE state = 'dead';

  -- Spec 4.2.12's counts per day, gate and lane, kept by a trigger (a passage arrives at the plant final: the booth
  -- holds its record until the barrier outcome is known).
  CREATE TABLE passage_daily (
    day            text    NOT NULL,
    gate_code      text    NOT NULL,
    lane_id        text    NOT NULL,
    direction      text    NOT NULL,
    plate_prefix   text    NOT NULL,
    emission_stage text    NOT NULL,
    is_control     text    NOT NULL,
    reason_code    text    NOT NULL,
    bgzt           text    NOT NULL,
    source         text    NOT NULL,
    passages       integer NOT NULL,
    PRIMARY KEY (day, gate_code, lane_id, direction, plate_prefix, emission_stage, is_control, reason_code, bgzt, source)
  );
  CREATE FUNCTION passage_daily_add() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO passage_daily VALUES (
      substr(NEW.tgsjq, 1, 10), NEW.gate_code, NEW.lane_id, NEW.direction, substr(NEW.plate, 1, 2),
      COALESCE(NEW.verdict ->> 'emissionStandard', ''), COALESCE(NEW.verdict ->> 'isControl', ''),
      NEW.reason_code, NEW.bgzt, NEW.source, 1)
    ON CONFLICT (day, gate_code, lane_id, direction, plate_prefix, emission_stage, is_control, reason_code, bgzt, source)
    DO UPDATE SET passages = passage_daily.passages + 1;
    RETURN NULL;
  END $$;
  CREATE TRIGGER passage_daily_on_insert AFTER INSERT ON passages FOR EACH ROW EXECUTE FUNCTION passage_daily_add();

  -- Each plate's latest passage through a raised arm (any gate), kept by a trigger that ignores a passage older than
  -- the one on file (a booth back from an outage delivers late): in-plant presence is the plates whose latest is 'in'.
  CREATE TABLE vehicle_last (
    plate         text   PRIMARY KEY,
    plate_colour  text   NOT NULL,
    direction     text   NOT NULL,
    gate_code     text   NOT NULL,
    lane_id       text   NOT NULL,
    lsh           text   NOT NULL,
    recognized_at bigint NOT NULL
  );
  CREATE INDEX vehicle_last_inside ON vehicle_last (recognized_at) WHERE direction = 'in';
  CREATE FUNCTION vehicle_last_track() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.bgzt = '1' THEN
      INSERT INTO vehicle_last VALUES (NEW.plate, NEW.plate_colour, NEW.direction, NEW.gate_code, NEW.lane_id, NEW.lsh, NEW.recognized_at)
      ON CONFLICT (plate) DO UPDATE SET plate_colour = excluded.plate_colour, direction = excluded.direction, gate_code = excluded.gate_code,
        lane_id = excluded.lane_id, lsh = excluded.lsh, recognized_at = excluded.recognized_at
      WHERE vehicle_last.recognized_at < excluded.recognized_at;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER vehicle_last_on_insert AFTER INSERT ON passages FOR EACH ROW EXECUTE FUNCTION vehicle_last_track();

  CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text   NOT NULL,
    name          text   NOT NULL,
    role          text   NOT NULL CHECK (role IN ('guard', 'admin')),
    password_hash text   NOT NULL,
    created_at    bigint NOT NULL
  );
  CREATE UNIQUE INDEX users_by_name ON users (lower(username));

  CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
  END $$;

  CREATE TABLE audit_log (
    id         bigint PRIMARY KEY,
    at         bigint NOT NULL,
    actor_json text,
    action     text   NOT NULL,
    subject    text,
    detail     text   NOT NULL,
    prev_hash  text   NOT NULL,
    hash       text   NOT NULL
  );
  CREATE INDEX audit_by_action ON audit_log (action, id);
  CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change();

  CREATE TABLE control_measures (
    id              integer PRIMARY KEY CHECK (id = 1),
    level           text,
    area            text,
    strategy        text,
    enterprise_type text,
    measures        text,
    note            text   NOT NULL DEFAULT '',
    updated_at      bigint NOT NULL,
    updated_by      text   NOT NULL
  );

  CREATE TABLE local_lists (
    kind       text   NOT NULL CHECK (kind IN ('white', 'black')),
    plate      text   NOT NULL,
    note       text   NOT NULL DEFAULT '',
    created_at bigint NOT NULL,
    created_by text   NOT NULL,
    PRIMARY KEY (kind, plate)
  );

  CREATE TABLE manual_actions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          bigint NOT NULL,
    actor_id    text,
    actor_name  text   NOT NULL,
    action      text   NOT NULL,
    gate_code   text,
    lane_id     text,
    passage_id  bigint REFERENCES passages (id),
    plate       text,
    reason      text,
    note        text   NOT NULL DEFAULT '',
    violation   boolean NOT NULL DEFAULT false,
    details     jsonb
  );
  CREATE TRIGGER manual_actions_append_only BEFORE UPDATE OR DELETE ON manual_actions FOR EACH ROW EXECUTE FUNCTION refuse_change();

  -- What the lanes read, as the plant files it (in-plant vehicles, machines, registrations, lane settings): one row
  -- per entity and key, the fields as the booth's ledger spells them.
  CREATE TABLE ledger_rows (
    entity     text   NOT NULL,
    key        text   NOT NULL,
    fields     jsonb  NOT NULL,
    updated_at bigint NOT NULL,
    updated_by text   NOT NULL,
    PRIMARY KEY (entity, key)
  );

  -- The down-replication feed: the latest body of every (entity, key) that changed, at its revision; a removal is a
  -- row with a null body. Writers take the feed's advisory lock before their revision, so revisions become visible
  -- in order and a booth that read up to N never misses a row numbered below N.
  CREATE TABLE changes (
    revision bigint NOT NULL PRIMARY KEY,
    entity   text   NOT NULL,
    key      text   NOT NULL,
    body     jsonb,
    at       bigint NOT NULL,
    UNIQUE (entity, key)
  );
  CREATE SEQUENCE change_revision;
  `,
  // Booths as edge nodes: the one-time enrolment codes an admin makes (kept as hashes) and each booth's own
  // credential (a hash), revocable.
  `
  CREATE TABLE enrolment_codes (
    code_hash  text   PRIMARY KEY,
    gate_code  text   NOT NULL,
    created_by text   NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    used_at    bigint,
    used_by    text
  );

  CREATE TABLE booths (
    id              text   PRIMARY KEY,
    gate_code       text   NOT NULL,
    credential_hash text   NOT NULL UNIQUE,
    enrolled_at     bigint NOT NULL,
    revoked_at      bigint,
    last_seen_at    bigint
  );
  `,
  // The admin's settings (docs/admin.md), as the booth's SQLite has them: when control measures start and end, and how
  // long a list entry holds (NULL: permanent).
  `
  ALTER TABLE control_measures ADD COLUMN starts_at bigint, ADD COLUMN ends_at bigint;
  ALTER TABLE local_lists ADD COLUMN expires_at bigint;
  `,
  // The admin workspace at the plant (docs/plant.md, "Admin workspace"): the entity ledgers as the booth's ledger
  // service keeps them (ledger_rows gains a row id, its images and passage; ledger_images, ledger_changes), goods
  // filed at the plant, the goods names, and the plant's dwell alarms (resolved when the vehicle leaves).
  `
  ALTER TABLE ledger_rows
    ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    ADD COLUMN images jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN passage_id bigint REFERENCES passages (id),
    ADD COLUMN created_at bigint;
  CREATE INDEX ledger_rows_by_key ON ledger_rows (entity, key text_pattern_ops);

  CREATE TABLE ledger_images (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    jpeg       bytea  NOT NULL,
    created_at bigint NOT NULL
  );

  CREATE TABLE goods (
    id         bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    passage_id bigint  UNIQUE REFERENCES passages (id),
    lsh        text    NOT NULL,
    lane_id    text,
    gate_code  text    NOT NULL,
    cphm       text    NOT NULL,
    cpys       text    NOT NULL,
    hwmc       text    NOT NULL,
    ysl        text    NOT NULL,
    djsj       text    NOT NULL,
    weighed    boolean NOT NULL DEFAULT false,
    source     text    NOT NULL,
    created_at bigint  NOT NULL,
    updated_at bigint  NOT NULL,
    updated_by text    NOT NULL
  );
  CREATE INDEX goods_by_djsj ON goods (djsj);

  CREATE TABLE ledger_changes (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ledger    text   NOT NULL,
    row_id    bigint NOT NULL,
    at        bigint NOT NULL,
    by_name   text   NOT NULL,
    by_user   text,
    action    text   NOT NULL,
    changes   jsonb  NOT NULL,
    note      text   NOT NULL DEFAULT '',
    outbox_id bigint REFERENCES outbox (id)
  );
  CREATE INDEX ledger_changes_by_row ON ledger_changes (ledger, row_id, id);
  CREATE INDEX ledger_changes_by_outbox ON ledger_changes (outbox_id);

  CREATE TABLE goods_names (
    position integer PRIMARY KEY,
    name     text    NOT NULL
  );

  CREATE TABLE plant_alarms (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text   NOT NULL,
    plate           text,
    gate_code       text,
    lsh             text,
    message         text   NOT NULL,
    warning_type    text,
    dedup_key       text   NOT NULL UNIQUE,
    raised_at       bigint NOT NULL,
    acknowledged_at bigint,
    acknowledged_by text,
    note            text,
    resolved_at     bigint
  );
  CREATE INDEX plant_alarms_open ON plant_alarms (id) WHERE resolved_at IS NULL;
  `,
  // Booth ↔ plant mechanics (docs/plant.md): a gate's driving records go to the city one at a time in order
  // (order_key = the gate code; a dead letter steps aside).
  `
  ALTER TABLE outbox ADD COLUMN order_key text;
  CREATE INDEX outbox_order_pending ON outbox (order_key, id) WHERE state = 'pending' AND order_key IS NOT NULL;
  CREATE INDEX outbox_pending_unordered ON outbox (id) WHERE state = 'pending' AND order_key IS NULL;

  -- Plate search by any part (as the booth's plate_grams): the distinct plates with their passage counts, searched
  -- through a trigram index of their own, then the passages of the plates found. Replaces the trigram index over
  -- every passage, whose candidates cost a heap fetch each.
  CREATE TABLE plates (
    plate    text   PRIMARY KEY,
    passages bigint NOT NULL
  );
  INSERT INTO plates (plate, passages) SELECT plate, count(*) FROM passages GROUP BY plate;
  -- fastupdate off: new plates are few, and a pending list of unindexed entries would make the planner scan the table.
  CREATE INDEX plates_any_part ON plates USING gin (plate gin_trgm_ops) WITH (fastupdate = off);
  CREATE FUNCTION plates_count() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO plates (plate, passages) VALUES (NEW.plate, 1) ON CONFLICT (plate) DO UPDATE SET passages = plates.passages + 1;
    RETURN NULL;
  END $$;
  CREATE TRIGGER plates_on_insert AFTER INSERT ON passages FOR EACH ROW EXECUTE FUNCTION plates_count();
  DROP INDEX passages_plate_any_part;
  `,
  // Plant settings and the journal (docs/plant.md): the lanes each booth reports (the plant's lane-settings screen),
  // and the camera's vehicle class of a passage (车型: shown in the plant's journal, never sent to the city).
  `
  ALTER TABLE booths ADD COLUMN lanes jsonb;
  ALTER TABLE passages ADD COLUMN vehicle_class text;
  `
]
