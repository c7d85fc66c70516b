"""The task tiles of a signed-in user's home page. Each app offers its own through a `home_tiles(user)` AppConfig
hook, so the core's landing page lists what later apps offer without importing them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tile:
    """One main task: where to do it and, for a to-do list, how many items wait there. `count` is the length of
    the very list `url` shows (read through the same selector), `overdue` how many of them are past due, listed at
    `overdue_url`. A task with no list to work through (record a visit) has no count."""

    title: str
    url: str
    count: int | None = None
    overdue: int = 0
    overdue_url: str = ""
    order: int = 100


def for_user(user) -> list[Tile]:
    from django.apps import apps

    tiles = []
    for config in apps.get_app_configs():
        hook = getattr(config, "home_tiles", None)
        if hook is not None:
            tiles.extend(hook(user))
    return sorted(tiles, key=lambda tile: tile.order)
