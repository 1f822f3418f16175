-- wrk script: POST /v1/login for one of the accounts run.sh registered (bench0 … bench49).
local i = 0
request = function()
  i = i + 1
  local body = '{"username":"bench' .. (i % 50) .. '","password":"Trống-Đồng#Xanh-Biếc42"}'
  return wrk.format("POST", "/v1/login", {["Content-Type"] = "application/json"}, body)
end
