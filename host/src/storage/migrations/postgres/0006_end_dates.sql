-- matkhau schema 6 (PostgreSQL): accounts with an end date. Keep in step with sqlite/0006_end_dates.sql.

-- When an account's term ends (staff who retire, leave or move; a VPN account for a project):
-- from then on it cannot log in, and the sweep revokes it. NULL: no end.
ALTER TABLE accounts ADD COLUMN valid_until BIGINT;
CREATE INDEX accounts_valid_until ON accounts (valid_until) WHERE valid_until IS NOT NULL;
