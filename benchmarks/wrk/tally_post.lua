-- Canvass tally POST, as canvass.js sends a queued tap (Accept JSON,
-- X-CSRFToken): each wrk thread is one canvasser's phone (one connection)
-- tapping "Doors knocked" on its block, five phones to a block, so taps on
-- one block race. <dir>/canvass-<id>.txt: language, cookie, CSRF token,
-- origin, team, block. Every tenth tap is sent twice with the same id, as
-- the offline queue replays a tap whose answer was lost.
dofile(os.getenv("WRK_SCRIPTS") .. "/report.lua")
extra_report_keys = {"people", "acked", "double_taps", "double_acked", "refused"}
pending_key = "pending"

local lang, cookie, csrf, origin, team, block
local last_body = nil

function init(args)
  local lines = {}
  for line in io.lines(args[1] .. "/canvass-" .. id .. ".txt") do lines[#lines + 1] = line end
  lang, cookie, csrf, origin, team, block = lines[1], lines[2], lines[3], lines[4], lines[5], lines[6]
end

function request()
  if not repeating then
    local tap = string.format("00000000-0000-4000-9000-%04d%08d", id, people + 1)
    last_body = "block=" .. block .. "&team=" .. team .. "&field=knocked&delta=1&id=" .. tap
    pending = tap
  end
  return wrk.format("POST", "/" .. lang .. "/canvass/tally/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Cookie"] = cookie,
    ["X-CSRFToken"] = csrf,
    ["Origin"] = origin,
  }, last_body)
end

function response(status, headers, body)
  local ok = status == 200 and body:find('"ok": *true') ~= nil
  count_answer(ok)
end
