-- matkhau schema 3 (SQLite): what a fault must not break. Keep in step with postgres/0003_faults.sql.

-- A reset of failed logins (a successful login, an unlock, a change, a re-issue) covers the
-- failures up to this id, the last recorded before it: one recorded after it counts, even in
-- the same second (whole-second times let a burst just after a reset go uncounted).
ALTER TABLE login_throttle ADD COLUMN failures_reset_after BIGINT NOT NULL DEFAULT 0;
UPDATE login_throttle SET failures_reset_after = COALESCE((SELECT MAX(f.id) FROM login_failures f
    WHERE f.username_key = login_throttle.username_key AND f.at <= login_throttle.failures_reset_at), 0);

-- When a sender took the message (a delivery under way; NULL when none): a message is claimed
-- before it is sent and marked after, so a crash in between is seen, not sent again blindly.
ALTER TABLE mail_queue ADD COLUMN claimed_at BIGINT;
-- 1 when the body is sealed (ChaCha20-Poly1305 under a key of the secret file): a temporary
-- password travels to the mailer this way, committed with the password change it announces,
-- and the body is erased once sent.
ALTER TABLE mail_queue ADD COLUMN sealed BIGINT NOT NULL DEFAULT 0;

-- The audit log's order for readers: one row per entry, numbered in commit order (a reader that
-- follows `next` while others write never skips or repeats an entry). SQLite has one writer at a
-- time, so the order of insertion is the order of commit; entries written before keep their id.
CREATE TABLE audit_order (
    seq         INTEGER PRIMARY KEY,
    audit_id    BIGINT NOT NULL UNIQUE REFERENCES audit_log (id)
);
INSERT INTO audit_order (seq, audit_id) SELECT id, id FROM audit_log ORDER BY id;
CREATE TRIGGER audit_log_order AFTER INSERT ON audit_log
BEGIN
    INSERT INTO audit_order (audit_id) VALUES (NEW.id);
END;
CREATE TRIGGER audit_order_no_update BEFORE UPDATE ON audit_order
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_order_no_delete BEFORE DELETE ON audit_order
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
