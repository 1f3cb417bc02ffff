"""Campaigns: one brand, many talents. Pick listings (a price ceiling per talent, a budget), buy
every licence, write one brief with a {talent} placeholder, get one job (or N variants) per talent,
each screened and decided under that talent's own terms. Above marketplace and generation: it
composes their services, as the REST API does."""
