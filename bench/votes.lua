-- wrk script: POST votes from 100,000 partner ids on the demo conversation's statements.
-- Arguments: the statement ids (comma-separated), then a file with one signed id per line
-- as a JSON fragment ("xid":"bench-1","xid_sig":"..."), made by votes.py.
local counter = 0
local statements = {}
local people = {}

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + seed * 7919)
  for id in string.gmatch(args[1], "%d+") do statements[#statements + 1] = id end
  for line in io.lines(args[2]) do people[#people + 1] = line end
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local body = '{' .. people[math.random(1, #people)] .. ',"statement":' ..
    statements[math.random(1, #statements)] .. ',"vote":' .. math.random(-1, 1) .. '}'
  return wrk.format(nil, "/api/conversations/un75-priorities/votes", nil, body)
end
