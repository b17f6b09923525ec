"""Test tooling: the simulated-time driver, touches, the UI audit, replays, the bench probe."""
