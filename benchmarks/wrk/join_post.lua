-- Join POST, as neighbors' phones send it: each wrk thread is one browser
-- (one connection) holding the CSRF cookie and the form's hidden fields it
-- got from a real GET of the form (benchmarks/load.py wrote them to
-- <dir>/browser-<id>.txt). Every request is a new neighbor with a street
-- address on a real block; every tenth neighbor taps "send" twice.
--
-- Counting is exact because a thread has one connection: a response always
-- answers the thread's last request. `pending` is the one person whose
-- answer had not come back when wrk stopped.
dofile(os.getenv("WRK_SCRIPTS") .. "/report.lua")
extra_report_keys = {"people", "acked", "double_taps", "double_acked", "refused"}
pending_key = "pending"

local function read_lines(path)
  local lines = {}
  for line in io.lines(path) do lines[#lines + 1] = line end
  return lines
end

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local lang, cookie, csrf, started, origin, addresses
local last_body, last_ip = nil, nil

function init(args)
  local dir = args[1]
  local browser = read_lines(dir .. "/browser-" .. id .. ".txt")
  lang, cookie, csrf, started, origin = browser[1], browser[2], browser[3], browser[4], browser[5]
  addresses = read_lines(dir .. "/addresses.txt")
end

-- The person's phone is (445) 2TT-NNNN: TT the thread, NNNN the person.
function person_phone(n) return string.format("445%03d%04d", 200 + id, n) end

function request()
  if not repeating then
    local n = people + 1
    local fields = {
      "csrfmiddlewaretoken=" .. urlencode(csrf),
      "form_started=" .. urlencode(started),
      "website=",
      "name=" .. urlencode(string.format("Bench Neighbor %d-%d", id, n)),
      "phone=" .. person_phone(n),
      "email=" .. (n % 2 == 0 and urlencode(string.format("bench.%d.%d@example.org", id, n)) or ""),
      "language=" .. (n % 2 == 0 and "en" or "es"),
      "contact_methods=text",
      "address=" .. urlencode(addresses[((id * 7919 + n) % #addresses) + 1]),
      "zip_code=",
      "block=",
      "ways_to_help=get_trained",
      "weekend_availability=sat_am",
      "consent=on",
    }
    last_body = table.concat(fields, "&")
    -- One address per neighbor, as the proxy in front reports it: the
    -- per-address rate limit is not what this measures.
    last_ip = string.format("10.%d.%d.%d", id, math.floor(n / 250) % 250, n % 250 + 1)
    pending = person_phone(n)
  end
  return wrk.format("POST", "/" .. lang .. "/join/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["Origin"] = origin,
    ["X-Forwarded-For"] = last_ip,
  }, last_body)
end

function response(status, headers, body)
  local ok = status == 302
  count_answer(ok)
end
