"""File and process I/O behind small interfaces: storage, speech, health, calendars."""
