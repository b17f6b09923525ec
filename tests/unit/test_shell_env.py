"""In kiosk mode a touch takes exactly one path into the app."""

from __future__ import annotations

from configparser import RawConfigParser

from kiosk.shell import env as shell_env


def kivy_input_defaults() -> RawConfigParser:
    config = RawConfigParser()
    config.add_section("input")
    config.set("input", "mouse", "mouse")
    config.set("input", "%(name)s", "probesysfs")  # Kivy's default on Linux
    return config


def test_default_keeps_only_sdl2_touches(monkeypatch) -> None:
    monkeypatch.delenv("KIOSK_TOUCH", raising=False)
    monkeypatch.delenv("SDL_TOUCH_MOUSE_EVENTS", raising=False)
    config = kivy_input_defaults()
    shell_env._one_touch_path(config)
    assert not config.has_option("input", "%(name)s")  # no second reader of /dev/input
    assert shell_env.os.environ["SDL_TOUCH_MOUSE_EVENTS"] == "0"  # no click per touch


def test_evdev_keeps_only_kivys_own_reader(monkeypatch) -> None:
    monkeypatch.setenv("KIOSK_TOUCH", "evdev")
    monkeypatch.delenv("SDL_TOUCH_MOUSE_EVENTS", raising=False)
    config = kivy_input_defaults()
    shell_env._one_touch_path(config)
    assert config.get("input", "%(name)s") == "probesysfs,provider=hidinput"
    assert shell_env.os.environ["SDL_TOUCH_MOUSE_EVENTS"] == "0"
