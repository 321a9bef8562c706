-- wrk script: POST /entries with 100 new entries per request, as TSV. TOKEN must be set.
-- ORDER=random (the default): 100 random keys (the syllables of gen-entries.py), landing all
-- over the tree, about one leaf per entry. ORDER=sorted: 100 consecutive keys under one random
-- word (word-000 … word-099), as when one site's pages are added, landing in one or two leaves.
local syl = {}
for c in ("bcdfghjklmnprstvwz"):gmatch(".") do
  for v in ("aeiou"):gmatch(".") do syl[#syl + 1] = c .. v end
end
for _, s in ipairs({"an", "er", "in", "or", "st"}) do syl[#syl + 1] = s end

local thread_id = 0
local counter = 0
local headers = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  headers["Authorization"] = "Bearer " .. assert(os.getenv("TOKEN"), "set TOKEN")
  headers["Content-Type"] = "text/tab-separated-values"
end

local function word()
  local w = {}
  for _ = 1, math.random(1, 4) do w[#w + 1] = syl[math.random(#syl)] end
  return table.concat(w)
end

local sorted = os.getenv("ORDER") == "sorted"

function request()
  local lines = {}
  local stem = word()
  for j = 1, 100 do
    counter = counter + 1
    local k = sorted and string.format("%s-%03d", stem, j - 1) or word()
    lines[j] = string.format("%s\thttps://bench.example/%d/%d.html\t%s page\tbench entry %d\n",
      k, tid or 0, counter, k, counter)
  end
  return wrk.format("POST", "/entries", headers, table.concat(lines))
end

function done(summary, latency, requests)
  io.write(string.format("entries/s: %.0f (%d requests of 100; errors: status %d, other %d)\n",
    summary.requests / (summary.duration / 1e6) * 100, summary.requests,
    summary.errors.status, summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
