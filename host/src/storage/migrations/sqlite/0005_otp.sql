-- matkhau schema 5 (SQLite): one-time codes (TOTP) at login. Keep in step with postgres/0005_otp.sql.

-- An account's authenticator-app secret, sealed (ChaCha20-Poly1305 under a key of the service's
-- secret file, bound to the account), never in clear. Pending until a first code confirms it;
-- last_step is the highest 30-second step a code was accepted for, so no code is accepted twice.
CREATE TABLE otp_secrets (
    account_id    BIGINT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    sealed        TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    confirmed_at  BIGINT,
    last_step     BIGINT NOT NULL DEFAULT 0
);

-- Single-use recovery codes, each kept as its HMAC-SHA-256 under a key of the secret file.
CREATE TABLE otp_recovery (
    id          INTEGER PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash   TEXT   NOT NULL UNIQUE,
    used_at     BIGINT
);
CREATE INDEX otp_recovery_account ON otp_recovery (account_id);

-- The ticket between a login's right password and its one-time code: its SHA-256 (128 random
-- bits), the account's row version it was given for, and what the password step found (weak,
-- breached, an upgraded hash of the same password), so the code step finishes that login.
CREATE TABLE login_tickets (
    id           INTEGER PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    ticket_hash  TEXT   NOT NULL UNIQUE,
    version      BIGINT NOT NULL,
    weak         BIGINT NOT NULL,
    breached     BIGINT NOT NULL,
    rehash       TEXT,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT
);
CREATE INDEX login_tickets_expiry ON login_tickets (expires_at);
