#!/usr/bin/env python3
"""Derives data/gazetteer/geo.tsv.gz, the gazetteer places are resolved against, from GeoNames
(geonames.org, CC BY 4.0) and world-countries (ODbL) as packaged in ../shared/data.

    python3 scripts/derive-gazetteer.py ../shared/data data/gazetteer/regions.txt data/gazetteer/geo.tsv.gz

One place a line, tab-separated:

    geonameid  kind  name  country  admin1  lat  lon  population  alternate|names

`kind` is `continent`, `country`, `admin1` (a first-level division: state, province), `capital`
(a country's seat of government), `city` (every GeoNames place of at least 15,000 people,
cities15000) or `region` (a river or region known at country level, from regions.txt, under
the country's geonameid). `country` is ISO 3166-1 alpha-3 (empty for continents), `admin1` the GeoNames
first-level code. Alternate names are those written in Latin letters: GeoNames' own for cities
and divisions, world-countries' common and official names and spellings ("U.S.", "UK") for
countries, ISO 3166-2 letter codes of three or more letters for divisions ("NSW").

Coordinates: GeoNames' for cities; for countries, the centroid of the largest polygon of their
Natural Earth 1:50m shape (public domain; the mainland's centre), else world-countries' `latlng`;
GeoNames' for continents; for first-level divisions, which GeoNames' code list gives none, the
mean of the coordinates of their cities (a division without a city of 15,000 is left out).

The output is sorted by geonameid and deterministic (gzip without a timestamp).
"""
import gzip
import json
import os
import re
import sys
from collections import defaultdict

# Divisions named by a direction or a common word ("West", "Centre", "Capital") are left out:
# in text such words are almost never the division.
GENERIC = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre",
           "center", "capital", "coast", "coastal", "lakes", "upper", "lower", "middle", "north-west",
           "north-east", "south-west", "south-east", "northwest", "northeast", "southwest", "southeast",
           "river", "islands", "island", "mountain", "plateau", "lake", "sea", "region", "province", "the",
           "of", "and", "district", "highlands", "valley", "far", "mid", "western area"}
LATIN = re.compile(r"^[A-Z][A-Za-z'’ .-]*[A-Za-z.]$")


def clean(name):
    return " ".join(name.replace("\t", " ").replace("|", " ").split())


def latin(names, own):
    out = []
    seen = {own.lower()}
    for name in names:
        name = clean(name)
        if LATIN.match(name) and len(name.split()) <= 5 and name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return sorted(out)


def ring_centroid(ring):
    """Area and centroid (lon, lat) of a polygon ring, its longitudes unwrapped around its first
    point so that a ring across the antimeridian (Chukotka) stays whole."""
    base = ring[0][0]
    points = [((x - base + 180) % 360 - 180 + base, y) for x, y in ring]
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
        f = x1 * y2 - x2 * y1
        area += f
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
    if area == 0:
        return 0.0, 0.0, 0.0
    area /= 2
    lon = (cx / (6 * area) + 180) % 360 - 180
    return abs(area), lon, cy / (6 * area)


def shape_centres(path, names_of):
    """Each country's centre from Natural Earth's shapes: the centroid of its largest polygon
    (the mainland: Alaska and Hawaii do not pull the United States' centre into the Pacific)."""
    with open(path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    by_name = {name.lower(): iso3 for iso3, names in names_of.items() for name in names}
    centres = {}
    for feature in features:
        iso3 = by_name.get(feature["properties"]["name"].lower())
        geometry = feature["geometry"]
        if not iso3 or not geometry:
            continue
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        area, lon, lat = max(ring_centroid(polygon[0]) for polygon in polygons)
        if area > 0:
            centres[iso3] = (round(lat, 3), round(lon, 3))
    return centres


def main(data_dir, regions_path, out_path):
    geo = f"{data_dir}/geo"
    with open(f"{geo}/countries.json", encoding="utf-8") as f:
        countries = json.load(f)
    with open(f"{data_dir}/countries/world-countries/countries.json", encoding="utf-8") as f:
        world = {c["cca3"]: c for c in json.load(f)}
    with open(f"{geo}/cities15000.json", encoding="utf-8") as f:
        cities = json.load(f)
    with open(f"{geo}/continents.json", encoding="utf-8") as f:
        continents = json.load(f)
    with open(f"{data_dir}/countries/pycountry/iso3166-2.json", encoding="utf-8") as f:
        subdivisions = json.load(f)["3166-2"]

    iso3 = {cc: c["iso3"] for cc, c in countries.items()}
    names_of = {}
    for c in countries.values():
        w = world.get(c["iso3"], {})
        names = {c["name"]}
        if w:
            names |= {w["name"]["common"], w["name"]["official"]} | set(w.get("altSpellings") or [])
        names_of[c["iso3"]] = names
    centres = shape_centres(f"{geo}/countries-50m.geojson", names_of)
    rows = []

    for code, c in continents.items():
        name = c["name"]
        rows.append((int(c["geonameId"]), "continent", name, "", "", float(c["lat"]), float(c["lng"]),
                     int(c.get("population") or 0), []))

    capitals = {}
    for cc, c in countries.items():
        w = world.get(c["iso3"])
        if not w or not w.get("latlng"):
            continue
        names = [w["name"]["common"], w["name"]["official"]] + list(w.get("altSpellings") or [])
        # Two-letter spellings are codes ("SY"), not names writers use; "US" and "UK" are.
        names = [n for n in names if len(n) > 2 or n in ("US", "UK")]
        lat, lon = centres.get(c["iso3"], w["latlng"])
        rows.append((int(c["geonameid"]), "country", c["name"], c["iso3"], "", float(lat), float(lon),
                     int(c.get("population") or 0), latin(names, c["name"])))
        if c.get("capital"):
            capitals[cc] = c["capital"].lower()

    in_admin1 = defaultdict(list)
    for city in cities.values():
        cc = city["countrycode"]
        if cc not in iso3:
            continue
        kind = "capital" if capitals.get(cc) == city["name"].lower() else "city"
        lat, lon = float(city["latitude"]), float(city["longitude"])
        pop = int(city.get("population") or 0)
        # All-capital short names of cities are airport codes ("DAM", "MOW"), not names.
        alternates = [a for a in city.get("alternatenames") or [] if not (a.isupper() and len(a) <= 4)]
        rows.append((int(city["geonameid"]), kind, clean(city["name"]), iso3[cc], city["admin1code"], lat, lon,
                     pop, latin(alternates, city["name"])))
        in_admin1[(cc, city["admin1code"])].append((lat, lon, pop))

    codes = defaultdict(list)
    for s in subdivisions:
        cc, _, suffix = s["code"].partition("-")
        if len(suffix) >= 3 and suffix.isalpha():
            codes[(cc, clean(s["name"]).lower())].append(suffix)
    with open(f"{geo}/admin1CodesASCII.txt", encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or "." not in cols[0]:
                continue
            cc, admin1 = cols[0].split(".", 1)
            members = in_admin1.get((cc, admin1))
            if cc not in iso3 or not members:
                continue
            lat = sum(m[0] for m in members) / len(members)
            lon = sum(m[1] for m in members) / len(members)
            pop = sum(m[2] for m in members)
            name = clean(cols[1])
            if all(word in GENERIC for word in name.lower().split()):
                continue
            names = [cols[2]] + codes.get((cc, name.lower()), []) + codes.get((cc, clean(cols[2]).lower()), [])
            rows.append((int(cols[3]), "admin1", name, iso3[cc], admin1, round(lat, 4), round(lon, 4), pop,
                         latin(names, name)))

    # Rivers and regions known at country level (data/gazetteer/regions.txt): one entry per
    # country they lie in, at the country's centre, so that the article's context decides.
    by_iso3 = {r[3]: r for r in rows if r[1] == "country"}
    with open(regions_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            name, countries = line.rstrip("\n").split("\t")
            for rank, code in enumerate(countries.split()):
                country = by_iso3[code]
                # Listed first is most often meant: a population-like prior that falls by rank.
                rows.append((country[0], "region", clean(name), code, "", country[5], country[6],
                             10 ** (6 - rank), []))

    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    lines = [
        f"{gid}\t{kind}\t{name}\t{country}\t{admin1}\t{lat:.5g}\t{lon:.5g}\t{pop}\t{'|'.join(alts)}\n"
        for gid, kind, name, country, admin1, lat, lon, pop, alts in rows
    ]
    data = "".join(lines).encode("utf-8")
    with open(out_path, "wb") as out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
            gz.write(data)
    print(f"{len(lines)} places, {len(data)} bytes, written to {out_path}", file=sys.stderr)
    # GDELT's tables name countries by FIPS 10-4 codes; the GDELT export maps ISO3 to them.
    with open(f"{geo}/countries.json", encoding="utf-8") as f:
        info = json.load(f).values()
    fips = sorted((c["iso3"], c["fips"]) for c in info if c.get("iso3") and c.get("fips"))
    fips_path = os.path.join(os.path.dirname(out_path), "fips.tsv")
    with open(fips_path, "w", encoding="utf-8") as f:
        f.writelines(f"{iso3}\t{code}\n" for iso3, code in fips)
    print(f"{len(fips)} FIPS country codes written to {fips_path}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
