"""The composition root: a real kiosk from a config watcher and a clock. It opens the
check-in store on the data folder, writes on a worker thread whose results come back on
Kivy's clock, and puts the lobby in its window."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.adapters import data_folder
from kiosk.adapters.feeds import FeedWorker
from kiosk.adapters.printer import SlipPrinter
from kiosk.adapters.saver import Saver
from kiosk.adapters.storage import CheckinStore, DataFolderInUse
from kiosk.config.watch import ConfigWatcher
from kiosk.core.clock import KioskClock
from kiosk.lobby import Lobby, LobbyOptions
from kiosk.shell.app import AppOptions, KioskApp

log = logging.getLogger(__name__)


def open_store(folder: Path, clock: KioskClock) -> Saver | None:
    """The check-in store, or None (check-in off, the staff mark on) if it cannot open.
    A folder held by another kiosk is not such a case: that is for the caller."""
    from kivy.clock import Clock

    try:
        store = CheckinStore(folder, today=clock.now().date())
    except DataFolderInUse:
        raise
    except Exception:
        log.exception("The check-in data in %s cannot be opened; check-in is off", folder)
        return None
    return Saver(store, lambda fn: Clock.schedule_once(lambda _dt: fn(), 0))


def kiosk_app(
    watcher: ConfigWatcher,
    clock: KioskClock,
    lobby_options: LobbyOptions,
    app_options: AppOptions | None = None,
) -> KioskApp:
    store = open_store(lobby_options.data_dir, clock)
    options = app_options or AppOptions()
    lobby = Lobby(watcher, clock, store, lobby_options)
    lobby.printer = slip_printer(lobby_options.data_dir / data_folder.PRINTER_CACHE)
    lobby.prepare_printer()
    if options.interactive:  # previews and replays fetch nothing; they use the copies
        lobby.feeds = start_feeds(lobby)
    return KioskApp(lobby, options)


def slip_printer(cache: Path) -> SlipPrinter:
    """Slips print on a thread; how it went comes back on Kivy's clock."""
    from kivy.clock import Clock

    return SlipPrinter(lambda fn: Clock.schedule_once(lambda _dt: fn(), 0), cache=cache)


def start_feeds(lobby: Lobby) -> FeedWorker:
    """Fetch the calendar feeds of whatever config is in use, in the background."""
    worker = FeedWorker(lobby.options.data_dir, lambda: lobby.config.feeds)
    worker.start()
    return worker
