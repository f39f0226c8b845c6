"""Tolpuddle: a self-hosted platform that runs a trade union."""
