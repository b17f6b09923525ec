"""An unattended kiosk logs an occasional fault and keeps going; a stream of them stops it."""

from __future__ import annotations

from kivy.base import ExceptionManager

from kiosk.shell.resilience import LogAndContinue


def test_occasional_fault_is_logged_and_passed(caplog) -> None:
    handler = LogAndContinue(limit=3, window_seconds=60)
    assert handler.handle_exception(ValueError("x")) == ExceptionManager.PASS
    assert "keeps running" in caplog.text


def test_many_faults_in_a_short_time_stop_the_app() -> None:
    handler = LogAndContinue(limit=3, window_seconds=60)
    results = [handler.handle_exception(ValueError(str(i))) for i in range(4)]
    assert results == [ExceptionManager.PASS] * 3 + [ExceptionManager.RAISE]


def test_interrupt_is_never_swallowed() -> None:
    assert LogAndContinue().handle_exception(KeyboardInterrupt()) == ExceptionManager.RAISE
