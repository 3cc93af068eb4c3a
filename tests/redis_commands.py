"""The Redis commands a piece of code sends, for tests that hold a path to
its round trips (one script instead of several calls)."""

from contextlib import contextmanager


@contextmanager
def commands_sent(cache):
    """A list filling with the name of each command `cache` (a Django Redis
    cache of ours) sends while the block runs."""
    client = cache._cache.get_client(write=True)
    sent = []
    original = client.execute_command

    def counting(*args, **kwargs):
        sent.append(args[0])
        return original(*args, **kwargs)

    client.execute_command = counting
    try:
        yield sent
    finally:
        client.execute_command = original


def forget_prefix(url, prefix):
    """Delete every key a test's cache wrote under its own KEY_PREFIX."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
