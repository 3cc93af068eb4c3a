"""Django's Redis cache, with one client object per connection pool.

Django's RedisCacheClient builds a new redis.Redis for every command, and
redis-py's constructor copies its table of about 170 response callbacks each
time: on a page served from the cache that was most of the time spent
talking to Redis. A redis.Redis is safe to share between threads (it takes a
connection from its pool per command), so one per pool is enough.

Its incr() is one round trip, not two: Django asks EXISTS, then INCRBY (a
missing key must raise, not start at 1); here one script does both. Every
sign-up and check-in bumps generations with it, twice per generation.
`run_script` runs other Lua scripts of ours (the rate limits' windows) the
same way: loaded once per client, then sent by digest.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


# INCRBY only on a key that exists; nil (None) when it does not.
_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return redis.call('INCRBY', KEYS[1], ARGV[1])
"""


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def run_script(self, source, keys, args):
        client = self.get_client(keys[0] if keys else None, write=True)
        script = self._scripts.get((id(client), source))
        if script is None:
            script = self._scripts[id(client), source] = client.register_script(source)
        return script(keys=keys, args=args)

    def incr(self, key, delta):
        value = self.run_script(_INCR_EXISTING, [key], [delta])
        if value is None:
            raise ValueError("Key '%s' not found." % key)
        return value

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def run_script(self, source, keys, args, version=None):
        """The Lua script `source` run by Redis on `keys` (cache keys, made
        full here as every other call makes them) with `args`: its answer."""
        keys = [self.make_and_validate_key(key, version=version) for key in keys]
        return self._cache.run_script(source, keys, args)
