"""One module and one .kv file per screen, as kiosk.screens lists them."""
