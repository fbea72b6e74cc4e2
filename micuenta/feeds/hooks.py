"""What other domains do once a feed file has been processed, without the feeds knowing them.

A domain that keeps something derived from a feed's data (savings: the list of employers who owe contributions)
registers a hook for the kinds of feed it cares about in its `AppConfig.ready()`; the runner calls the hooks after
the file's last chunk, outside the chunks' transactions. A hook schedules work (a background task); it does not do
long work itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from micuenta.feeds.models import FeedKind, ImportRun

FinishHook = Callable[[ImportRun, set[int]], object]

_hooks: dict[str, list[FinishHook]] = {}


def feed_finished_connect(*, kinds: Iterable[FeedKind], hook: FinishHook) -> None:
    """Call `hook(run, touched_workers)` after every file of these kinds (once per hook, however often called)."""
    for kind in kinds:
        hooks = _hooks.setdefault(str(kind), [])
        if hook not in hooks:
            hooks.append(hook)


def feed_finished_run(*, run: ImportRun, touched_workers: set[int]) -> None:
    """Run the hooks registered for the run's kind."""
    for hook in _hooks.get(str(run.kind), []):
        hook(run, touched_workers)
