"""Parses each feed file named on the command line with Universal Feed Parser (Debian's
python3-feedparser), as feed readers do, and prints one JSON line per file: bozo flag, the
exception if any, the feed version it recognised and the number of entries."""
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
        "entries": len(parsed.entries),
        "titles": [e.get("title", "") for e in parsed.entries],
    }))
