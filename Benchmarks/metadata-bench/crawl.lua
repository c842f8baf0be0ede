-- wrk script: cloud-init-sized crawls (28 requests: the OpenStack reader's requests then the
-- EC2 meta-data crawl, in cloud-init 22.4's order), each crawl for the next simulated instance
-- (X-Forwarded-For through the trusted plain listener). MD_INSTANCES instances, MD_NETWORK.
-- MD_PATHS=hot: one hot key (instance-id) instead of the crawl.
local crawl = {
  "/openstack", "/openstack", "/openstack/2018-08-27/meta_data.json", "/openstack/2018-08-27/user_data",
  "/openstack/2018-08-27/vendor_data.json", "/openstack/2018-08-27/vendor_data2.json",
  "/openstack/2018-08-27/network_data.json", "/latest/meta-data/",
  "/latest/meta-data/block-device-mapping/", "/latest/meta-data/block-device-mapping/ami",
  "/latest/meta-data/block-device-mapping/root", "/latest/meta-data/placement/",
  "/latest/meta-data/placement/availability-zone", "/latest/meta-data/public-keys",
  "/latest/meta-data/public-keys/0/openssh-key", "/latest/meta-data/ami-id", "/latest/meta-data/ami-launch-index",
  "/latest/meta-data/ami-manifest-path", "/latest/meta-data/hostname", "/latest/meta-data/instance-action",
  "/latest/meta-data/instance-id", "/latest/meta-data/instance-type", "/latest/meta-data/local-hostname",
  "/latest/meta-data/local-ipv4", "/latest/meta-data/public-hostname", "/latest/meta-data/public-ipv4",
  "/latest/meta-data/reservation-id", "/latest/meta-data/security-groups",
}
local paths = crawl
if os.getenv("MD_PATHS") == "hot" then paths = { "/latest/meta-data/instance-id" } end
local n = tonumber(os.getenv("MD_INSTANCES") or "1000")
local net = os.getenv("MD_NETWORK") or "bench-net"
local base = tonumber(os.getenv("MD_BASE") or "0")  -- first instance is base + 1
local counter = 0
local threads = {}
errors = 0  -- global: read by done() through thread:get

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

function init(args)
  counter = offset or 0
end

local function ip(k)
  return string.format("10.%d.%d.%d", math.floor(k / 65536) % 256, math.floor(k / 256) % 256, k % 256)
end

function request()
  local k = base + math.floor(counter / #paths) % n + 1
  local p = paths[counter % #paths + 1]
  counter = counter + 1
  return wrk.format("GET", p, { ["X-Forwarded-For"] = ip(k), ["X-Cirrus-Network-ID"] = net })
end

function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
  local non200 = 0
  for _, t in ipairs(threads) do non200 = non200 + (t:get("errors") or 0) end
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f non200=%d sockerr=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, non200,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
