#!/usr/bin/env python3
"""Derives data/gazetteer/places.tsv.gz, the place-name list the named-entity recognizer uses as
a feature, from GeoNames (geonames.org, CC BY 4.0) as packaged in ../shared/data/geo.

    python3 scripts/derive-places.py ../shared/data/geo data/gazetteer/places.tsv.gz

Each line is `NAME<TAB>CLASS`, sorted, one per distinct lowercased name, where CLASS is the
largest kind of place with that name: `C` a city of at least 1,000,000 people, `c` at least
100,000 (from cities15000.json; smaller towns were left out: they made the file three times
larger without changing cross-validated F1), `r` a first-level division (state, province;
admin1CodesASCII.txt). Names are GeoNames' own (mostly the English or local form); for cities of
1,000,000 and more, alternate names written in Latin letters that start with a capital are added
(Moskva, Bombay). The output is deterministic (gzip without a timestamp).
"""
import gzip
import json
import re
import sys

RANK = {"C": 0, "c": 1, "r": 2}
LATIN_NAME = re.compile(r"^[A-Z][A-Za-z' .-]*[a-z]$")


def main(geo_dir, out_path):
    best = {}

    def add(name, cls):
        name = " ".join(name.split())
        if len(name) < 3:
            return
        key = name.lower()
        if key not in best or RANK[cls] < RANK[best[key][1]]:
            best[key] = (name, cls)

    with open(f"{geo_dir}/cities15000.json", encoding="utf-8") as f:
        cities = json.load(f)
    for city in cities.values():
        pop = city.get("population") or 0
        if pop < 100_000:
            continue
        cls = "C" if pop >= 1_000_000 else "c"
        add(city["name"], cls)
        if pop >= 1_000_000:
            for alt in city.get("alternatenames") or []:
                if LATIN_NAME.match(alt) and len(alt.split()) <= 4:
                    add(alt, cls)
    with open(f"{geo_dir}/admin1CodesASCII.txt", encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 3:
                add(cols[1], "r")
                add(cols[2], "r")
    lines = sorted(f"{name}\t{cls}\n" for name, cls in best.values())
    data = "".join(lines).encode("utf-8")
    with open(out_path, "wb") as out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
            gz.write(data)
    print(f"{len(lines)} names, {len(data)} bytes, written to {out_path}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
