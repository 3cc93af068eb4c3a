-- Check-in POST, as the trainer's phone script sends it (Accept JSON,
-- X-CSRFToken): each wrk thread is one trainer's phone (one connection)
-- working through its own list of registered people, "<session> <volunteer>"
-- per line in <dir>/checkins-<id>.txt. Every tenth check-in is sent twice
-- with the same nonce, as an offline queue replays it.
dofile(os.getenv("WRK_SCRIPTS") .. "/report.lua")
extra_report_keys = {"people", "acked", "double_taps", "double_acked", "refused", "wrapped"}
-- Check-ins sent again after a thread ran out of people (new nonce, same
-- person): answered "already in", they add no row, so they are counted
-- apart from the acknowledged first check-ins the database must hold.
wrapped = 0
local past_the_end = false
pending_key = "pending"

local lang, cookie, csrf, origin, pairs_list
local last_path, last_body = nil, nil

function init(args)
  local dir = args[1]
  local lines = {}
  for line in io.lines(dir .. "/trainer-" .. id .. ".txt") do lines[#lines + 1] = line end
  lang, cookie, csrf, origin = lines[1], lines[2], lines[3], lines[4]
  pairs_list = {}
  for line in io.lines(dir .. "/checkins-" .. id .. ".txt") do pairs_list[#pairs_list + 1] = line end
end

function request()
  if not repeating then
    local n = people + 1
    -- Past the end of its list a thread replays its check-ins (all
    -- duplicates by then): load.py gives each thread more than it can send.
    past_the_end = n > #pairs_list
    local session, volunteer = pairs_list[((n - 1) % #pairs_list) + 1]:match("(%d+) (%d+)")
    local nonce = string.format("00000000-0000-4000-8000-%04d%08d", id, n)
    last_path = "/" .. lang .. "/trainer/sessions/" .. session .. "/check-in/"
    last_body = "volunteer=" .. volunteer .. "&nonce=" .. nonce
    pending = past_the_end and "" or nonce
  end
  return wrk.format("POST", last_path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Cookie"] = cookie,
    ["X-CSRFToken"] = csrf,
    ["Origin"] = origin,
  }, last_body)
end

function response(status, headers, body)
  local ok = status == 200 and body:find('"ok": *true') ~= nil
  if past_the_end and not repeating then
    people = people + 1
    if ok then wrapped = wrapped + 1 else refused = refused + 1 end
    repeating = (people % 10 == 0)
    return
  end
  count_answer(ok)
end
