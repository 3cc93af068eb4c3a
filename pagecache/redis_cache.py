"""Django's Redis cache, with one client object per connection pool.

Django's RedisCacheClient builds a new redis.Redis for every command, and
redis-py's constructor copies its table of about 170 response callbacks each
time: on a page served from the cache that was most of the time spent
talking to Redis. A redis.Redis is safe to share between threads (it takes a
connection from its pool per command), so one per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

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
