-- matkhau schema 1 (SQLite). Times are Unix seconds (UTC). Keep in step with postgres/0001_accounts.sql.

CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY,
    username            TEXT   NOT NULL,
    -- Lower-cased username: the lookup key, unique.
    username_key        TEXT   NOT NULL UNIQUE,
    email               TEXT   NOT NULL,
    kind                TEXT   NOT NULL CHECK (kind IN ('citizen', 'organisation', 'staff')),
    -- The user context (the plug-in ABI's Context object) as JSON, for the personal-data rules.
    context             TEXT   NOT NULL,
    -- argon2id PHC string.
    password_hash       TEXT   NOT NULL,
    password_set_at     BIGINT NOT NULL,
    -- chosen: by the user; temporary: re-issued by mail; issued: first password of an account
    -- created by an administrator.
    password_origin     TEXT   NOT NULL CHECK (password_origin IN ('chosen', 'temporary', 'issued')),
    -- A forced change the user must make at the next login ('leaked', 'admin').
    forced_reason       TEXT,
    status              TEXT   NOT NULL CHECK (status IN ('active', 'locked', 'revoked')),
    status_reason       TEXT,
    status_changed_at   BIGINT NOT NULL,
    last_activity_at    BIGINT NOT NULL,
    last_login_at       BIGINT,
    -- password_set_at of the password an expiry warning was sent for (one warning per password).
    expiry_warned_for   BIGINT,
    created_at          BIGINT NOT NULL,
    -- Bumped by every password change: a change computed against an older row is refused.
    version             BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX accounts_inactivity ON accounts (kind, status, last_activity_at);
CREATE INDEX accounts_password_age ON accounts (status, password_set_at);

CREATE TABLE password_history (
    id              INTEGER PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    password_hash   TEXT   NOT NULL,
    set_at          BIGINT NOT NULL,
    retired_at      BIGINT NOT NULL
);
CREATE INDEX password_history_account ON password_history (account_id, id);

-- One row per login key (known or not, so a lockout never tells whether a username exists):
-- the row every failed attempt for that key locks, so counts stay exact across replicas.
CREATE TABLE login_throttle (
    username_key        TEXT   PRIMARY KEY,
    -- Failures at or before this moment no longer count (a successful login, an admin unlock).
    failures_reset_at   BIGINT NOT NULL DEFAULT 0,
    -- The end of the last lock recorded in the audit log (so one lock is audited once).
    audited_lock_until  BIGINT
);

CREATE TABLE login_failures (
    id              INTEGER PRIMARY KEY,
    username_key    TEXT   NOT NULL,
    address         TEXT   NOT NULL,
    at              BIGINT NOT NULL,
    -- Keyed hash of the wrong password, truncated: repeats of one typo count once.
    fingerprint     TEXT   NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (username_key, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor       TEXT   NOT NULL,
    action      TEXT   NOT NULL,
    username    TEXT,
    address     TEXT,
    detail      TEXT   NOT NULL
);
CREATE INDEX audit_log_username ON audit_log (username, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Mail that carries no secret, written in the transaction of the change it reports and sent after.
CREATE TABLE mail_queue (
    id              INTEGER PRIMARY KEY,
    created_at      BIGINT NOT NULL,
    -- Unique per event (e.g. one expiry warning per password): no double mail across replicas.
    dedupe_key      TEXT   NOT NULL UNIQUE,
    recipient       TEXT   NOT NULL,
    subject         TEXT   NOT NULL,
    body            TEXT   NOT NULL,
    status          TEXT   NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX mail_queue_pending ON mail_queue (status, next_attempt_at);

CREATE TABLE settings (
    name    TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
