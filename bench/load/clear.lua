-- wrk script: an administrator clears the failed logins of ever new usernames (each request one
-- short transaction with its audit entry: the audit log's write path). ADMIN_TOKEN names the token.
local token = os.getenv("ADMIN_TOKEN")
local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", "/v1/admin/logins/u" .. i .. "x" .. math.random(1e9) .. "/clear",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, "{}")
end
