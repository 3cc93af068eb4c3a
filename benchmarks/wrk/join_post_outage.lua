-- The join load of the Redis outage phase (benchmarks/load.py,
-- redis_outage_phase): join_post.lua's neighbors, with the server errors
-- (5xx) counted apart from the other refusals, and numbered by stage
-- (args[2]: 1 Redis up, 2 down, 3 back) so no phone repeats one sent before.
dofile(os.getenv("WRK_SCRIPTS") .. "/join_post.lua")
extra_report_keys[#extra_report_keys + 1] = "server_errors"
server_errors = 0

local stage = 0
local join_init, join_response = init, response

function init(args)
  join_init(args)
  stage = tonumber(args[2])
end

-- (445) SSS-NNNN: SSS the stage and the thread, NNNN the person.
function person_phone(n) return string.format("445%03d%04d", 200 + 100 * stage + id, n) end

function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
  join_response(status, headers, body)
end
