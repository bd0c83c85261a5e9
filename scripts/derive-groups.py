#!/usr/bin/env python3
"""Derives data/gazetteer/groups.tsv, the names of peoples, languages and faiths that the
named-entity recognizer uses as a feature (Universal NER types them OTH: "American forces",
"Sunni clerics", "in French").

    python3 scripts/derive-groups.py ../shared/data/countries/world-countries/countries.json \
        data/gazetteer/groups.tsv

Each line is `NAME<TAB>CLASS`, sorted: `d` a demonym (world-countries' English demonyms and
their plurals; ODbL, see NOTICE), `l` a language (world-countries' language names), `f` a faith,
sect, ethnic or political group (the list below, written for annalist).
"""
import json
import sys

FAITHS_AND_GROUPS = """
Muslim Muslims Moslem Moslems Islamic Islamist Islamists Christian Christians Catholic Catholics
Protestant Protestants Orthodox Evangelical Evangelicals Baptist Baptists Methodist Methodists
Lutheran Lutherans Anglican Anglicans Mormon Mormons Jewish Jew Jews Judaism Hindu Hindus Buddhist
Buddhists Sikh Sikhs Sunni Sunnis Shiite Shiites Shia Shi'ite Shi'ites Alawite Alawites Druze Wahhabi
Salafi Salafis Sufi Coptic Copts Kurd Kurds Kurdish Arab Arabs Arabic Persian Persians Pashtun
Pashtuns Tamil Tamils Sinhalese Baloch Tajik Tajiks Uzbek Uzbeks Hazara Yazidi Yazidis Uighur Uighurs
Uyghur Uyghurs Tibetan Tibetans Berber Berbers Bedouin Bedouins Latino Latinos Hispanic Hispanics
Asian Asians African Africans European Europeans Western Westerners Caucasian Slavic Slav Slavs
Democrat Democrats Democratic Republican Republicans Conservative Conservatives Labour Liberal
Liberals Tory Tories Communist Communists Marxist Marxists Baathist Baathists Nazi Nazis Zionist
Zionists Jihadi Jihadis Mujahedeen Mujahideen Taliban Palestinian Palestinians Israeli Israelis
"""


def plural(demonym):
    low = demonym.lower()
    if low.endswith(("ese", "ss", "sh", "ch", "s", "x", "z")) or " " in demonym:
        return None
    return demonym + "s"


def main(countries_path, out_path):
    best = {}

    def add(name, cls):
        name = " ".join(name.split())
        if len(name) >= 3 and name.lower() not in best:
            best[name.lower()] = (name, cls)

    for word in FAITHS_AND_GROUPS.split():
        add(word, "f")
    with open(countries_path, encoding="utf-8") as f:
        countries = json.load(f)
    for country in countries:
        demonyms = country.get("demonyms", {}).get("eng", {})
        for demonym in [demonyms.get("m"), demonyms.get("f")]:
            # "Antiguan, Barbudan": two demonyms in one field.
            for part in (demonym or "").split(","):
                part = part.strip()
                if part:
                    add(part, "d")
                    if plural(part):
                        add(plural(part), "d")
        for language in (country.get("languages") or {}).values():
            add(language, "l")
    lines = sorted(f"{name}\t{cls}\n" for name, cls in best.values())
    with open(out_path, "w", encoding="utf-8") as out:
        out.writelines(lines)
    print(f"{len(lines)} names written to {out_path}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
