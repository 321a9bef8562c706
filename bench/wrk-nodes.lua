-- wrk script: GET node files in turn from a list (one path a line), the same list for every
-- server, so each server answers the same requests. Set NODES to the list's path.
local paths = {}
local i = 0

function init(args)
  local f = assert(io.open(os.getenv("NODES") or "nodes.txt"))
  for line in f:lines() do paths[#paths + 1] = line end
  f:close()
  -- Each thread starts at a different place in the list.
  i = math.random(#paths)
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
