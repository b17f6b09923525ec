"""Fitting the development window to a smaller screen."""

from kiosk.shell.display import fit


def test_large_window_shrinks_to_fit_keeping_its_shape() -> None:
    w, h = fit((1920, 1080), (1366, 768))
    assert w <= 1366 * 0.92 and h <= 768 * 0.92
    assert abs(w / h - 1920 / 1080) < 0.01


def test_window_that_fits_or_unknown_screen_is_unchanged() -> None:
    assert fit((1280, 800), (2560, 1440)) == (1280, 800)
    assert fit((1920, 1080), None) == (1920, 1080)


def test_portrait_window_fits_a_landscape_screen() -> None:
    w, h = fit((1080, 1920), (1920, 1080))
    assert h <= 1080 * 0.92 and abs(w / h - 1080 / 1920) < 0.01
