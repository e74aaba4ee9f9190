"""Parses each feed file named on the command line with Universal Feed Parser (Debian's
python3-feedparser), as feed readers do, and prints one JSON line per file: bozo flag, the
exception if any, the feed version it recognised, and per entry what a reader would show:
title (with the content type feedparser decided on), link, id, summary, author, and the
pictures it found (Media RSS media_content, RSS and Atom enclosures)."""
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
            "media": [m.get("url") for m in e.get("media_content", [])],
            "enclosures": [{"href": n.get("href"), "type": n.get("type"), "length": n.get("length")} for n in e.get("enclosures", [])],
        } for e in parsed.entries],
    }))
