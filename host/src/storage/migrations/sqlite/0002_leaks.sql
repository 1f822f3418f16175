-- matkhau schema 2 (SQLite): leaked-account reports and the leaked-password blocklist. Keep in step
-- with the other dialect's 0002_leaks.sql.

-- Passwords seen in leak reports, by keyed hash (HMAC-SHA-256 under the settings' key, of the
-- NFC form): refused for everyone from then on. Never the password itself.
CREATE TABLE leaked_passwords (
    password_key        TEXT   PRIMARY KEY,
    first_reported_at   BIGINT NOT NULL
);

-- One row per handled report entry (username, and the password reported with it if any), by
-- keyed hash: a repeated import of the same report finds its entries and changes nothing.
CREATE TABLE leak_reports (
    entry_key       TEXT   PRIMARY KEY,
    username_key    TEXT   NOT NULL,
    -- The report's name as the operator gave it (file name, ticket number).
    source          TEXT   NOT NULL,
    -- What the intake did: locked_reset, reset, reset_unverified, unknown_user, revoked,
    -- locked_mail_failed.
    outcome         TEXT   NOT NULL,
    reported_at     BIGINT NOT NULL
);
CREATE INDEX leak_reports_username ON leak_reports (username_key, reported_at);
