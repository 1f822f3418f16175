-- matkhau schema 4 (SQLite): self-service password resets. Keep in step with postgres/0004_resets.sql.

-- A reset asked for by "Quên mật khẩu?": the code mailed to the account's registered address is
-- kept only as its SHA-256 (160 random bits, so no slow hash is needed); single use, short-lived,
-- void once the password changes after it was asked for.
CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash   TEXT   NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX password_resets_account ON password_resets (account_id, created_at);
CREATE INDEX accounts_email ON accounts (lower(email));
