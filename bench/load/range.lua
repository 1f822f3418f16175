-- wrk script: GET /v1/breach/range/{prefix} over pseudo-random 5-hex prefixes.
local i = 0
request = function()
  i = i + 1
  local prefix = string.format("%05X", (i * 40503) % 1048576)
  return wrk.format("GET", "/v1/breach/range/" .. prefix)
end
