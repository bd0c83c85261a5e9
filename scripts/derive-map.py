#!/usr/bin/env python3
"""Writes data/map/world-110m.json, the dashboard's world map, from Natural Earth's 1:110m
country shapes (public domain) as packaged in ../shared/data/geo/countries-110m.geojson.

Usage: scripts/derive-map.py ../shared/data data/map/world-110m.json

Each country is {"name", "rings"}: its polygons' outer and inner rings as flat lists
lon, lat, lon, lat, ... rounded to 0.1 degree (about 11 km, finer than the map is drawn),
points that round onto the previous one dropped. Output is deterministic.
"""
import json
import sys


def ring(points):
    flat, last = [], None
    for lon, lat in points:
        point = (round(lon, 1), round(lat, 1))
        if point != last:
            flat.extend(point)
            last = point
    return flat if len(flat) >= 6 else None


def main(data_dir, out_path):
    with open(f"{data_dir}/geo/countries-110m.geojson", encoding="utf-8") as f:
        shapes = json.load(f)
    countries = []
    for feature in shapes["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = [r for polygon in polygons for r in map(ring, polygon) if r]
        countries.append({"name": feature["properties"]["name"], "rings": rings})
    countries.sort(key=lambda c: c["name"])
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"source": "Natural Earth 1:110m countries (public domain)", "countries": countries}, f,
                  separators=(",", ":"))
    print(f"{len(countries)} countries written to {out_path}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
