-- wrk script: wrong logins for one username (LOCKOUT_USER), each with another password, or all
-- with the same one when LOCKOUT_SAME is set (a repeated typo counts once: the key stays open).
local user = os.getenv("LOCKOUT_USER") or "seeded1000"
local same = os.getenv("LOCKOUT_SAME")
local i = 0
request = function()
  i = i + 1
  local password = same and "Sai-Mat-Khau#lap-lai" or ("Sai-Mat-Khau#" .. i)
  local body = '{"username":"' .. user .. '","password":"' .. password .. '"}'
  return wrk.format("POST", "/v1/login", {["Content-Type"] = "application/json"}, body)
end
