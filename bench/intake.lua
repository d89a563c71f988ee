-- wrk script: POST survey responses, each with a fresh random UUID (version 4 layout).
local counter = 0
local answers = '{"future_outlook":"better","world_2045":["less_conflict","environment"],' ..
  '"trends":["climate","health"],"cooperation":"essential","covid_views":"more",' ..
  '"advice":"Listen to young people.","age_group":"16_30","gender":"female","country":"NG"}'

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + seed * 7919)
end

local function uuid4()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (string.gsub(template, "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local body = '{"id":"' .. uuid4() .. '","language":"en","answers":' .. answers .. '}'
  return wrk.format(nil, "/api/surveys/un75/responses", nil, body)
end
