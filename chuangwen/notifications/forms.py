"""The notification centre has no forms of its own: marking read is a bare POST."""
