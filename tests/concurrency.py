"""Requests fired together from threads, as browsers would send them at the same moment."""

import threading


def together(app, count: int, action, timeout: float = 60) -> list:
    """action(i) run by `count` threads released at once, each in an application context of its
    own; what each returned (an exception raised is returned, so that the test names it)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout)
                results[i] = action(i)
            except Exception as error:
                results[i] = error

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a request never finished"
    return results


def clients(app, count: int, like=None) -> list:
    """`count` test clients, each with the cookies of `like` (the same person's browser)."""
    made = []
    for _ in range(count):
        client = app.test_client()
        if like is not None:
            for cookie in like._cookies.values():
                client.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
        made.append(client)
    return made
