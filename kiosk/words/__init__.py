"""Words on screen: catalogs, dates and times, languages and their fonts."""
