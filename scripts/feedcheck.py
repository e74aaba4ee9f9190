"""Parses each feed file named on the command line with Universal Feed Parser (Debian's
python3-feedparser), as feed readers do, and prints one JSON line per file: bozo flag, the
exception if any, the feed version it recognised, and per entry what a reader would show:
title (with the content type feedparser decided on), link, id, summary and author."""
import json
import sys

import feedparser

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        parsed = feedparser.parse(f.read())
    print(json.dumps({
        "file": path,
        "bozo": int(parsed.bozo),
        "error": str(parsed.get("bozo_exception", "")) or None,
        "version": parsed.version,
        "entries": [{
            "title": e.get("title"),
            "titleType": e.get("title_detail", {}).get("type"),
            "link": e.get("link"),
            "id": e.get("id"),
            "summary": e.get("summary"),
            "author": e.get("author"),
        } for e in parsed.entries],
    }))
