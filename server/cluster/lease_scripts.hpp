// The Lua scripts that change placement records in Redis atomically (SPEC CLUSTER-2,
// -3, -4; the keys are listed in cluster_placement.hpp and docs/CLUSTER.md). Epochs only
// grow: each new lease takes max(INCR epoch, min_epoch), min_epoch being one past the
// newest fence record in the taker's store, so they never go back even if Redis lost
// its data.
#pragma once

#include "cluster/redis.hpp"

namespace tandem::cluster::scripts {

// KEYS: lease, home, epoch. ARGV: me, ttl_ms, min_epoch.
// -> {"held", node, epoch} | {"home", node} | {"owned", epoch}
inline constexpr RedisScript kAcquire{R"lua(
local lease = redis.call('GET', KEYS[1])
if lease then
  local holder, held = string.match(lease, '^(.*):(%d+)$')
  if holder ~= ARGV[1] then return {'held', holder or '', held or '0'} end
end
local home = redis.call('GET', KEYS[2])
if (not lease) and home and home ~= ARGV[1] then return {'home', home} end
local e = redis.call('INCR', KEYS[3])
local m = tonumber(ARGV[3])
if e < m then e = m; redis.call('SET', KEYS[3], tostring(m)) end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. e, 'PX', ARGV[2])
redis.call('SET', KEYS[2], ARGV[1])
return {'owned', tostring(e)}
)lua"};

// KEYS: lease, home, epoch. ARGV: from, from_epoch, me, ttl_ms, min_epoch.
// Moves the lease and the home record from `from` to `me` only if `from` still holds
// the lease under from_epoch, or nobody holds it and `from` is home. -> new epoch | 0
inline constexpr RedisScript kTransfer{R"lua(
local lease = redis.call('GET', KEYS[1])
local ok
if lease then ok = (lease == ARGV[1] .. ':' .. ARGV[2]) else ok = (redis.call('GET', KEYS[2]) == ARGV[1]) end
if not ok then return 0 end
local e = redis.call('INCR', KEYS[3])
local m = tonumber(ARGV[5])
if e < m then e = m; redis.call('SET', KEYS[3], tostring(m)) end
redis.call('SET', KEYS[1], ARGV[3] .. ':' .. e, 'PX', ARGV[4])
redis.call('SET', KEYS[2], ARGV[3])
return e
)lua"};

// KEYS: the lease of each board held. ARGV: me, ttl_ms, then each board's epoch.
// -> per board 1 (still "me:epoch", expiry pushed back) or 0 (lost).
inline constexpr RedisScript kRenew{R"lua(
local out = {}
for i, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] .. ':' .. ARGV[2 + i] then
    redis.call('PEXPIRE', k, ARGV[2])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
)lua"};

// KEYS: lease, home. ARGV: me, epoch, forget ("1": the board does not exist: forget
// its home too when it is this node). -> 1
inline constexpr RedisScript kRelease{R"lua(
local lease = redis.call('GET', KEYS[1])
if lease == ARGV[1] .. ':' .. ARGV[2] then redis.call('DEL', KEYS[1]); lease = false end
if ARGV[3] == '1' and (not lease) and redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
)lua"};

}  // namespace tandem::cluster::scripts
