-- wrk script: POST /v1/check with a rotating set of candidate passwords.
local passwords = {
  "Matkhau@123", "Trống-Đồng#Xanh-Biếc42", "nguyenvanan1990", "P@ssw0rd!2026",
  "Sông-Hồng@Chảy-Mãi79", "qwerty123456", "Hà Nội mùa thu 2024!", "Bhxh@2026"
}
local i = 0
request = function()
  i = i + 1
  local body = '{"password":"' .. passwords[(i % #passwords) + 1] .. '","locale":"vi"}'
  return wrk.format("POST", "/v1/check", {["Content-Type"] = "application/json"}, body)
end
