"""One module and one .kv file per screen. Screens display state and forward taps."""
