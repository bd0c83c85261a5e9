//! Which article events are one real-world event.
//!
//! Events merge when they have the same source, target and base code (a *group*), dates within
//! the window of the earliest one, and locations that do not contradict each other. Events with
//! no target or an actor without country or organisation (`---BUS`) never merge
//! (`write::mergeable`). The result
//! must depend only on the set of events stored, never on the order articles came in, so that
//! ingesting in batches, in another order or after a crash gives the same store. Hence a greedy
//! pass in a canonical order (day, then unit id) rather than "join the event it arrived near".
//!
//! The pass is local: a gap of more than the window between consecutive days of a group ends
//! every open event, so a group splits into independent *segments* and a new batch only redoes
//! the segments it touches ([`crate::Store`] finds them).

use annalist::geo::distance_km;

/// An article event as merging sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    /// Stable across stores (derived from the article's hash and the event's index); the merged
    /// event takes its anchor's id.
    pub id: i64,
    /// Days since 1970-01-01; `None` for an undated event, which merges with nothing.
    pub day: Option<i64>,
    pub location: Option<Location>,
}

/// Where an article event happened, as far as merging cares.
#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// A city, not a country or region centre: its coordinates can tell two events apart.
    pub city: bool,
    /// Named by the event's own sentence, not inferred from the dateline or the article's main
    /// place: only such locations are trusted to keep events apart.
    pub stated: bool,
}

/// Two cities this far apart are different events' places.
const CITY_KM: f64 = 150.0;

/// Whether two events' places allow them to be the same event.
pub fn compatible(a: Option<&Location>, b: Option<&Location>) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return true };
    if !a.stated || !b.stated {
        return true;
    }
    if let (Some(x), Some(y)) = (&a.country, &b.country) {
        if x != y {
            return false;
        }
    }
    !(a.city && b.city && distance_km((a.lat as f32, a.lon as f32), (b.lat as f32, b.lon as f32)) > CITY_KM)
}

/// Assigns each unit of one group its event: `(unit id, event id)`, in canonical order. A unit
/// joins the first open event (by anchor) whose anchor is at most `window` days before it and
/// whose anchor's place is compatible with its own; otherwise it anchors a new event.
pub fn cluster(units: &mut [Unit], window: i64) -> Vec<(i64, i64)> {
    units.sort_by_key(|unit| (unit.day.is_none(), unit.day, unit.id));
    let mut open: Vec<(i64, Option<&Location>, i64)> = Vec::new();
    let mut assigned = Vec::with_capacity(units.len());
    for unit in units.iter() {
        let Some(day) = unit.day else {
            assigned.push((unit.id, unit.id));
            continue;
        };
        open.retain(|&(anchor_day, _, _)| day - anchor_day <= window);
        let event = match open.iter().find(|(_, place, _)| compatible(*place, unit.location.as_ref())) {
            Some(&(_, _, event)) => event,
            None => {
                open.push((day, unit.location.as_ref(), unit.id));
                unit.id
            }
        };
        assigned.push((unit.id, event));
    }
    assigned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, day: i64, place: Option<(&str, f64, f64)>) -> Unit {
        Unit {
            id,
            day: Some(day),
            location: place.map(|(country, lat, lon)| Location {
                country: Some(country.to_string()),
                lat,
                lon,
                city: true,
                stated: true,
            }),
        }
    }

    const MOSCOW: (&str, f64, f64) = ("RUS", 55.75, 37.62);
    const SOCHI: (&str, f64, f64) = ("RUS", 43.6, 39.73);
    const DAMASCUS: (&str, f64, f64) = ("SYR", 33.51, 36.29);

    /// (units as (id, day, place), window, expected (unit, event) pairs)
    type Case = (&'static str, Vec<Unit>, i64, Vec<(i64, i64)>);

    #[test]
    fn clusters() {
        let cases: Vec<Case> = vec![
            ("same day", vec![unit(2, 10, None), unit(1, 10, None)], 1, vec![(1, 1), (2, 1)]),
            ("next day within the window", vec![unit(1, 10, None), unit(2, 11, None)], 1, vec![(1, 1), (2, 1)]),
            ("two days apart", vec![unit(1, 10, None), unit(2, 12, None)], 1, vec![(1, 1), (2, 2)]),
            (
                "the window counts from the anchor, not the last report",
                vec![unit(1, 10, None), unit(2, 11, None), unit(3, 12, None)],
                1,
                vec![(1, 1), (2, 1), (3, 3)],
            ),
            (
                "different countries stay apart",
                vec![unit(1, 10, Some(MOSCOW)), unit(2, 10, Some(DAMASCUS)), unit(3, 10, Some(MOSCOW))],
                1,
                vec![(1, 1), (2, 2), (3, 1)],
            ),
            (
                "distant cities stay apart",
                vec![unit(1, 10, Some(MOSCOW)), unit(2, 10, Some(SOCHI))],
                1,
                vec![(1, 1), (2, 2)],
            ),
            ("an unplaced report joins", vec![unit(1, 10, Some(MOSCOW)), unit(2, 10, None)], 1, vec![(1, 1), (2, 1)]),
            ("a wider window", vec![unit(1, 10, None), unit(2, 13, None)], 3, vec![(1, 1), (2, 1)]),
        ];
        for (name, mut units, window, expected) in cases {
            assert_eq!(cluster(&mut units, window), expected, "{name}");
            units.reverse();
            assert_eq!(cluster(&mut units, window), expected, "{name}, reversed");
        }
    }

    #[test]
    fn undated_units_are_their_own_events() {
        let mut units = vec![Unit { id: 5, day: None, location: None }, unit(1, 10, None)];
        assert_eq!(cluster(&mut units, 1), vec![(1, 1), (5, 5)]);
    }

    #[test]
    fn a_dateline_guess_does_not_keep_events_apart() {
        let guessed = Location { country: Some("SYR".into()), lat: 33.51, lon: 36.29, city: true, stated: false };
        let moscow = unit(1, 10, Some(MOSCOW)).location;
        assert!(compatible(moscow.as_ref(), Some(&guessed)));
        assert!(!compatible(moscow.as_ref(), unit(2, 10, Some(DAMASCUS)).location.as_ref()));
    }
}
