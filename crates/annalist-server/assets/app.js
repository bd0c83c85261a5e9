// The annalist dashboard: a page per hash route, drawn from the JSON API of the same server.
// No library, no external request. Text from articles only ever reaches the page as text nodes.
"use strict";

// Problems the browser tests look for: script errors, rejected promises, CSP violations.
window.__problems = [];
window.addEventListener("error", (e) => window.__problems.push("error: " + e.message));
window.addEventListener("unhandledrejection", (e) => window.__problems.push("rejection: " + e.reason));
document.addEventListener("securitypolicyviolation", (e) => window.__problems.push("csp: " + e.blockedURI));

const SVG = "http://www.w3.org/2000/svg";
const QUADS = ["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"];

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && String(value).trim() !== "") search.set(key, value);
  }
  const text = search.toString();
  return text ? "?" + text : "";
}

async function api(path, params) {
  const response = await fetch("/api/" + path + query(params));
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function number(n) {
  return Number(n).toLocaleString("en-US");
}

function quadSwatch(quad) {
  return el("span", { class: "swatch q" + quad, title: QUADS[quad - 1] });
}

function legend() {
  return el("div", { class: "legend" }, QUADS.map((name, i) => el("span", {}, quadSwatch(i + 1), name)));
}

// ---- charts ---------------------------------------------------------------------------------

// Stacked bars of events per period by quad class.
function barChart(points) {
  const width = 900, height = 220, left = 40, bottom = 20, top = 8;
  const max = Math.max(1, ...points.map((p) => p.count));
  const step = (width - left) / Math.max(1, points.length);
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none" });
  chart.append(svg("line", { class: "axis", x1: left, x2: width, y1: y(0), y2: y(0) }));
  chart.append(svg("text", { x: 2, y: y(max) + 10 }, number(max)));
  chart.append(svg("text", { x: 2, y: y(0) }, "0"));
  points.forEach((p, i) => {
    let base = 0;
    p.quad_counts.forEach((n, q) => {
      if (!n) return;
      chart.append(svg("rect", {
        class: "q" + (q + 1), x: left + i * step, width: Math.max(1, step * 0.85),
        y: y(base + n), height: y(base) - y(base + n),
      }, svg("title", {}, `${p.period}: ${n} ${QUADS[q]}`)));
      base += n;
    });
  });
  if (points.length) {
    chart.append(svg("text", { x: left, y: height - 4 }, points[0].period));
    chart.append(svg("text", { x: width - 70, y: height - 4 }, points[points.length - 1].period));
  }
  return chart;
}

// A line of mean Goldstein scores per period, on -10..10.
function goldsteinChart(points) {
  const width = 900, height = 160, left = 40, top = 8, bottom = 20;
  const step = (width - left) / Math.max(1, points.length);
  const y = (v) => top + (height - top - bottom) * (1 - (v + 10) / 20);
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none" });
  for (const v of [-10, 0, 10]) {
    chart.append(svg("line", { class: "axis", x1: left, x2: width, y1: y(v), y2: y(v) }));
    chart.append(svg("text", { x: 2, y: y(v) + 4 }, String(v)));
  }
  // The line joins the periods that have events; empty ones have no mean.
  const path = points.map((p, i) => [p, i]).filter(([p]) => !p.empty)
    .map(([p, i], k) => `${k ? "L" : "M"}${left + (i + 0.5) * step},${y(p.goldstein_mean)}`).join(" ");
  if (path) chart.append(svg("path", { class: "line", d: path }));
  points.forEach((p, i) => p.empty || chart.append(svg("circle", { cx: left + (i + 0.5) * step, cy: y(p.goldstein_mean), r: 2, class: "q1" },
    svg("title", {}, `${p.period}: mean ${p.goldstein_mean} over ${p.count}`))));
  return chart;
}

// The API leaves out periods without events; a chart shows them as empty, so that time runs
// evenly along the axis (up to 3,000 periods).
function fillGaps(points, interval) {
  if (points.length < 2) return points;
  const byPeriod = new Map(points.map((p) => [p.period, p]));
  const next = (period) => {
    const d = new Date(period + "T00:00:00Z");
    if (interval === "month") d.setUTCMonth(d.getUTCMonth() + 1);
    else d.setUTCDate(d.getUTCDate() + (interval === "week" ? 7 : 1));
    return d.toISOString().slice(0, 10);
  };
  const filled = [];
  const last = points[points.length - 1].period;
  for (let period = points[0].period; period <= last && filled.length < 3000; period = next(period)) {
    filled.push(byPeriod.get(period) || { period, count: 0, goldstein_sum: 0, goldstein_mean: 0, quad_counts: [0, 0, 0, 0], empty: true });
  }
  return filled;
}

async function seriesOf(filter, interval) {
  return fillGaps(await api("series", { ...filter, interval }), interval);
}

// Fetches a series at an interval that gives a readable number of bars.
async function readableSeries(filter) {
  let interval = "day";
  let points = await api("series", { ...filter, interval });
  const span = (p) => p.length ? (new Date(p[p.length - 1].period) - new Date(p[0].period)) / 864e5 : 0;
  if (span(points) > 120) points = await api("series", { ...filter, interval: (interval = "week") });
  if (span(points) > 7 * 260) points = await api("series", { ...filter, interval: (interval = "month") });
  return fillGaps(points, interval);
}

// ---- tables ---------------------------------------------------------------------------------

function eventTable(events) {
  if (!events.length) return el("p", { class: "muted" }, "No events.");
  return el("table", { class: "events" },
    el("tr", {}, ["date", "", "source", "code", "target", "Goldstein", "mentions", "sources", "place", "words"].map((h) => el("th", {}, h))),
    events.map((e) => el("tr", { class: "link", "data-event": e.id, onclick: () => go(`#/event/${e.id}`) },
      el("td", {}, e.date || ""), el("td", {}, quadSwatch(e.quad_class)), el("td", {}, e.source),
      el("td", {}, el("a", { href: `#/event/${e.id}` }, e.code)), el("td", {}, e.target),
      el("td", {}, e.goldstein), el("td", {}, e.num_mentions), el("td", {}, e.num_sources),
      el("td", {}, e.location ? e.location.name : ""),
      el("td", {}, `${e.source_text} · ${e.verb_text} · ${e.target_text}`))));
}

const FILTERS = [["actor", "actor"], ["dyad", "dyad (RUS-SYR)"], ["code", "code"], ["from", "from"], ["to", "to"], ["place", "place"]];

function filterForm(page, params, extra) {
  const form = el("form", { class: "filters", id: "filters" });
  for (const [name, label] of FILTERS) {
    form.append(el("label", {}, label, el("input", { name, value: params[name] || "", size: 12, placeholder: name === "from" || name === "to" ? "YYYY-MM-DD" : "" })));
  }
  const quad = el("select", { name: "quad" }, el("option", { value: "" }, "any"),
    QUADS.map((q, i) => el("option", { value: i + 1, selected: params.quad == i + 1 ? "selected" : null }, q)));
  form.append(el("label", {}, "quad class", quad));
  form.append(el("button", { type: "submit" }, "Filter"));
  if (extra) form.append(extra);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(form).entries());
    go(`#/${page}${query(values)}`);
  });
  return form;
}

function filterOf(params) {
  const filter = {};
  for (const key of ["actor", "source", "target", "dyad", "code", "quad", "from", "to", "place", "near", "article"]) {
    if (params[key]) filter[key] = params[key];
  }
  return filter;
}

// ---- pages ----------------------------------------------------------------------------------

const pages = {
  async overview() {
    const [stats, dyads, actors] = await Promise.all([api("stats"), api("dyads", { limit: 12 }), api("actors", { limit: 12 })]);
    const points = await readableSeries({});
    return [
      el("h1", {}, "Overview"),
      el("div", { class: "cards" },
        [["articles", stats.articles], ["events", stats.events], ["reports of events", stats.mentions],
          ["quotations", stats.quotes], ["failures", stats.failures]].map(([name, n]) => el("div", { class: "card" }, el("b", {}, number(n)), name))),
      el("div", { class: "panel" }, el("h2", {}, "Events by quad class"), legend(), barChart(points)),
      el("div", { class: "grid2" },
        el("div", { class: "panel" }, el("h2", {}, "Top dyads"), el("table", {},
          el("tr", {}, el("th", {}, "dyad"), el("th", {}, "events"), el("th", {}, "mean Goldstein")),
          dyads.map((d) => el("tr", {}, el("td", {}, el("a", { href: `#/dyad/${d.source}-${d.target}` }, `${d.source} → ${d.target}`)),
            el("td", {}, d.events), el("td", {}, d.goldstein_mean))))),
        el("div", { class: "panel" }, el("h2", {}, "Top actors"), el("table", {},
          el("tr", {}, el("th", {}, "actor"), el("th", {}, "as source"), el("th", {}, "as target")),
          actors.map((a) => el("tr", {}, el("td", {}, el("a", { href: `#/events?actor=${encodeURIComponent(a.actor)}` }, a.actor)),
            el("td", {}, a.as_source), el("td", {}, a.as_target)))))),
    ];
  },

  async events(_, params) {
    const limit = 50, offset = Number(params.offset || 0);
    const filter = filterOf(params);
    const page = await api("events", { ...filter, limit, offset });
    const downloads = el("span", { class: "tools" },
      el("a", { href: "/api/export.csv" + query(filter) }, "CSV"), el("a", { href: "/api/export.parquet" + query(filter) }, "Parquet"));
    const pager = el("div", { class: "pager" },
      el("button", { id: "previous", disabled: offset === 0 ? "disabled" : null, onclick: () => go(`#/events${query({ ...params, offset: Math.max(0, offset - limit) })}`) }, "← previous"),
      el("span", { id: "range" }, `${page.total ? offset + 1 : 0}–${Math.min(offset + limit, page.total)} of ${number(page.total)}`),
      el("button", { id: "next", disabled: offset + limit >= page.total ? "disabled" : null, onclick: () => go(`#/events${query({ ...params, offset: offset + limit })}`) }, "next →"));
    return [el("h1", {}, "Events"), filterForm("events", params, downloads), pager, eventTable(page.events)];
  },

  async event(id) {
    const e = await api("events/" + encodeURIComponent(id));
    return [
      el("h1", {}, `${e.source} ${e.code} ${e.target}`, " ", el("span", { class: "muted" }, e.plover || "")),
      el("div", { class: "panel" },
        el("p", {}, quadSwatch(e.quad_class), ` ${QUADS[e.quad_class - 1]}, Goldstein ${e.goldstein}, on ${e.date || "an unknown date"}`,
          e.location ? ` in ${e.location.name} (${e.location.country || "?"}, from the ${e.location.basis})` : ""),
        el("p", {}, `${e.num_mentions} mentions in ${e.num_articles} articles from ${e.num_sources} sources`)),
      el("h2", {}, "Reports"),
      e.mentions.map((m) => {
        const start = m.span[0] - m.sentence_span[0], end = m.span[1] - m.sentence_span[0];
        const bytes = new TextEncoder().encode(m.sentence_text);
        const decode = (a, b) => new TextDecoder().decode(bytes.slice(a, b));
        return el("div", { class: "panel mention" },
          el("div", {}, el("a", { href: `#/article/${encodeURIComponent(m.article)}${query({ event: e.id })}`, class: "article-link" }, m.article),
            el("span", { class: "muted" }, ` ${m.date || ""} ${m.outlet || ""}`)),
          el("p", { class: "sentence" }, decode(0, start), el("mark", {}, decode(start, end)), decode(end, bytes.length)));
      }),
    ];
  },

  async article(key, params) {
    const a = await api("articles/" + encodeURIComponent(key));
    const focus = params.event ? Number(params.event) : null;
    const marks = [];
    for (const e of a.events) {
      const parts = [["src", e.source_span], ["tgt", e.target_span], ["verb", e.verb_span]];
      for (const [kind, span] of parts) if (span) marks.push({ span, kind, event: e.event, title: `${e.source} ${e.code} ${e.target}` });
      if (e.date_span) marks.push({ span: e.date_span, kind: "time", event: e.event });
    }
    for (const q of a.quotes) marks.push({ span: q.span, kind: "quote", title: q.speaker ? `said by ${q.speaker}` : "quotation" });
    for (const t of a.times || []) if (t.span) marks.push({ span: t.span, kind: "time", title: t.value || "" });
    for (const n of a.entities) if (n.place) marks.push({ span: n.span, kind: "place", title: `${n.place}, ${n.country || ""}` });
    const text = highlighted(a.text, marks, focus);
    const side = el("div", {},
      el("div", { class: "panel" }, el("h2", {}, "Events"), a.events.length ? a.events.map((e) =>
        el("div", {}, quadSwatch(e.quad_class), " ", el("a", { href: `#/event/${e.event}` }, `${e.source} ${e.code} ${e.target}`),
          el("span", { class: "muted" }, ` ${e.verb_text}`))) : el("p", { class: "muted" }, "none")),
      el("div", { class: "panel" }, el("h2", {}, "Quotations"), a.quotes.length ? a.quotes.map((q) =>
        el("div", {}, el("b", {}, q.speaker || "unattributed"), el("span", { class: "muted" }, ` ${q.cue}`), el("blockquote", {}, q.text))) : el("p", { class: "muted" }, "none")),
      el("div", { class: "panel legend" }, [["src", "source"], ["tgt", "target"], ["verb", "verb"], ["quote", "quotation"], ["place", "place"], ["time", "time"]]
        .map(([c, name]) => el("span", { class: "text" }, el("span", { class: c }, name)))));
    const view = [el("h1", {}, a.title || a.article), el("p", { class: "muted" }, [a.date, a.outlet, a.url].filter(Boolean).join(" · ")),
      el("div", { class: "article" }, text, side)];
    if (focus) setTimeout(() => { const first = document.querySelector(".focus"); if (first) first.scrollIntoView({ block: "center" }); }, 0);
    return view;
  },

  async dyad(pair, params) {
    const [source, target] = (pair || "").split("-");
    if (!source || !target) throw new Error("a dyad is SOURCE-TARGET, such as RUS-SYR");
    const interval = params.interval || "week";
    const [forward, backward, recent] = await Promise.all([
      seriesOf({ source, target }, interval), seriesOf({ source: target, target: source }, interval),
      api("events", { source, target, limit: 20, offset: 0 })]);
    const choose = el("select", { id: "interval", onchange: (e) => go(`#/dyad/${pair}${query({ interval: e.target.value })}`) },
      ["day", "week", "month"].map((i) => el("option", { value: i, selected: i === interval ? "selected" : null }, i)));
    return [
      el("h1", {}, `${source} ↔ ${target}`), el("label", {}, "per ", choose), legend(),
      el("div", { class: "panel" }, el("h2", {}, `${source} → ${target}: events`), barChart(forward),
        el("h2", {}, "mean Goldstein"), goldsteinChart(forward)),
      el("div", { class: "panel" }, el("h2", {}, `${target} → ${source}: events`), barChart(backward),
        el("h2", {}, "mean Goldstein"), goldsteinChart(backward)),
      el("h2", {}, `${source} → ${target}: events (${number(recent.total)})`), eventTable(recent.events),
    ];
  },

  async map(_, params) {
    const filter = filterOf(params);
    const [world, page] = await Promise.all([fetch("/assets/world.json").then((r) => r.json()), api("events", { ...filter, limit: 1000 })]);
    const map = svg("svg", { class: "map", id: "map", viewBox: "-180 -90 360 180" });
    const land = svg("g", {});
    for (const country of world.countries) {
      const d = country.rings.map((ring) => {
        let path = "";
        for (let i = 0; i < ring.length; i += 2) path += (i ? "L" : "M") + ring[i] + "," + -ring[i + 1];
        return path + "Z";
      }).join("");
      land.append(svg("path", { class: "land", d }, svg("title", {}, country.name)));
    }
    map.append(land);
    const located = page.events.filter((e) => e.location);
    for (const e of located) {
      map.append(svg("circle", { cx: e.location.lon, cy: -e.location.lat, r: Math.min(4, 0.8 + Math.log2(e.num_mentions + 1) * 0.6),
        class: "q" + e.quad_class, "data-event": e.id, onclick: () => go(`#/event/${e.id}`) },
        svg("title", {}, `${e.date}: ${e.source} ${e.code} ${e.target} in ${e.location.name}`)));
    }
    zoomable(map);
    const tools = el("div", { class: "tools" },
      el("button", { id: "zoom-in", onclick: () => zoom(map, 0.5) }, "+"), el("button", { id: "zoom-out", onclick: () => zoom(map, 2) }, "−"),
      el("span", { class: "muted" }, `${located.length} of ${page.events.length} events shown have a place (of ${number(page.total)} matching); drag to pan, wheel to zoom, click a dot for its event`));
    return [el("h1", {}, "Map"), filterForm("map", params), legend(), tools, map];
  },

  async network(_, params) {
    const filter = filterOf(params);
    const dyads = await api("dyads", { ...filter, limit: 40 });
    const actors = [...new Set(dyads.flatMap((d) => [d.source, d.target]))];
    const width = 900, height = 600, cx = width / 2, cy = height / 2, radius = 240;
    const place = new Map(actors.map((a, i) => {
      const angle = (2 * Math.PI * i) / actors.length;
      return [a, [cx + radius * Math.cos(angle), cy + radius * Math.sin(angle)]];
    }));
    const max = Math.max(1, ...dyads.map((d) => d.events));
    const graph = svg("svg", { class: "network", id: "network", viewBox: `0 0 ${width} ${height}` });
    for (const d of dyads) {
      const [x1, y1] = place.get(d.source), [x2, y2] = place.get(d.target);
      const colour = d.goldstein_mean < 0 ? "#c0392b" : "#3b82c4";
      graph.append(svg("line", { x1, y1, x2, y2, stroke: colour, "stroke-width": 0.5 + 5 * (d.events / max), "stroke-opacity": 0.6 },
        svg("title", {}, `${d.source} → ${d.target}: ${d.events} events, mean Goldstein ${d.goldstein_mean}`)));
    }
    for (const actor of actors) {
      const [x, y] = place.get(actor);
      const open = () => go(`#/events${query({ actor })}`);
      graph.append(svg("circle", { cx: x, cy: y, r: 5, onclick: open }, svg("title", {}, actor)));
      graph.append(svg("text", { x: x + (x >= cx ? 8 : -8), y: y + 4, "text-anchor": x >= cx ? "start" : "end", onclick: open }, actor));
    }
    return [el("h1", {}, "Who acts on whom"), filterForm("network", params),
      el("p", { class: "muted" }, "The 40 most frequent dyads; line width is the number of events, blue cooperative and red conflictual on average."), graph];
  },

  async quotes(_, params) {
    const quotes = await api("quotes", { speaker: params.speaker, text: params.text, limit: 200 });
    const form = el("form", { class: "filters", id: "quote-form" },
      el("label", {}, "speaker", el("input", { name: "speaker", value: params.speaker || "" })),
      el("label", {}, "words", el("input", { name: "text", value: params.text || "" })), el("button", { type: "submit" }, "Search"));
    form.addEventListener("submit", (event) => { event.preventDefault(); go("#/quotes" + query(Object.fromEntries(new FormData(form).entries()))); });
    const bySpeaker = new Map();
    for (const q of quotes) {
      const name = q.speaker || "unattributed";
      if (!bySpeaker.has(name)) bySpeaker.set(name, []);
      bySpeaker.get(name).push(q);
    }
    return [el("h1", {}, "Quotations"), form, quotes.length ? [...bySpeaker].map(([speaker, list]) => el("div", { class: "panel" },
      el("h2", {}, speaker, list[0].speaker_actor ? el("span", { class: "muted" }, ` ${list[0].speaker_actor}`) : ""),
      list.map((q) => el("div", {}, el("blockquote", {}, q.text),
        el("a", { href: `#/article/${encodeURIComponent(q.article)}` }, q.article), el("span", { class: "muted" }, ` ${q.date || ""} · ${q.cue}`))))) : el("p", { class: "muted" }, "No quotations.")];
  },

  async search(_, params) {
    const form = el("form", { class: "filters", id: "search-form" }, el("label", {}, "words", el("input", { name: "q", value: params.q || "", size: 40 })),
      el("button", { type: "submit" }, "Search"));
    form.addEventListener("submit", (event) => { event.preventDefault(); go("#/search" + query(Object.fromEntries(new FormData(form).entries()))); });
    if (!params.q) return [el("h1", {}, "Articles"), form];
    const hits = await api("search", { q: params.q, limit: 50 });
    return [el("h1", {}, "Articles"), form, hits.length ? el("table", {}, hits.map((h) => el("tr", {},
      el("td", {}, h.date || ""), el("td", {}, el("a", { href: `#/article/${encodeURIComponent(h.article)}` }, h.title || h.article)),
      el("td", { class: "muted" }, h.snippet)))) : el("p", { class: "muted" }, "Nothing found.")];
  },
};

// The article text cut at every annotation boundary; each piece carries the classes of what
// covers it, and a piece of an event links to that event. Spans are UTF-8 byte offsets.
function highlighted(text, marks, focus) {
  const bytes = new TextEncoder().encode(text);
  const decoder = new TextDecoder();
  const cuts = new Set([0, bytes.length]);
  for (const m of marks) { cuts.add(m.span[0]); cuts.add(m.span[1]); }
  const bounds = [...cuts].filter((c) => c >= 0 && c <= bytes.length).sort((a, b) => a - b);
  const box = el("div", { class: "text", id: "article-text" });
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [start, end] = [bounds[i], bounds[i + 1]];
    const piece = decoder.decode(bytes.slice(start, end));
    const covering = marks.filter((m) => m.span[0] <= start && end <= m.span[1]);
    if (!covering.length) { box.append(piece); continue; }
    const classes = [...new Set(covering.map((m) => m.kind))];
    const event = covering.find((m) => m.event !== undefined);
    if (event && event.event === focus) classes.push("focus");
    const title = covering.map((m) => m.title).filter(Boolean).join("; ");
    const span = el("span", { class: classes.join(" "), title: title || null }, piece);
    box.append(event ? el("a", { href: `#/event/${event.event}`, "data-event": event.event }, span) : span);
  }
  return box;
}

// ---- map zoom and pan -----------------------------------------------------------------------

function viewBox(map) {
  return map.getAttribute("viewBox").split(" ").map(Number);
}

function zoom(map, factor, at) {
  const [x, y, w, h] = viewBox(map);
  const [px, py] = at || [x + w / 2, y + h / 2];
  const nw = Math.min(360, Math.max(2, w * factor)), nh = nw / 2;
  map.setAttribute("viewBox", `${px - (px - x) * (nw / w)} ${py - (py - y) * (nh / h)} ${nw} ${nh}`);
}

function zoomable(map) {
  let drag = null;
  const toMap = (event) => {
    const rect = map.getBoundingClientRect(), [x, y, w, h] = viewBox(map);
    return [x + ((event.clientX - rect.left) / rect.width) * w, y + ((event.clientY - rect.top) / rect.height) * h];
  };
  map.addEventListener("wheel", (event) => { event.preventDefault(); zoom(map, event.deltaY > 0 ? 1.25 : 0.8, toMap(event)); }, { passive: false });
  map.addEventListener("mousedown", (event) => { drag = [event.clientX, event.clientY, viewBox(map)]; });
  window.addEventListener("mouseup", () => { drag = null; });
  map.addEventListener("mousemove", (event) => {
    if (!drag) return;
    const rect = map.getBoundingClientRect(), [x, y, w, h] = drag[2];
    const dx = ((event.clientX - drag[0]) / rect.width) * w, dy = ((event.clientY - drag[1]) / rect.height) * h;
    map.setAttribute("viewBox", `${x - dx} ${y - dy} ${w} ${h}`);
  });
}

// ---- routing --------------------------------------------------------------------------------

function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function route() {
  const [path, search] = location.hash.replace(/^#\/?/, "").split("?");
  const [page, ...rest] = path.split("/");
  return { page: page || "overview", arg: rest.length ? decodeURIComponent(rest.join("/")) : null, params: Object.fromEntries(new URLSearchParams(search || "")) };
}

async function render() {
  const { page, arg, params } = route();
  const main = document.getElementById("main");
  for (const link of document.querySelectorAll("nav a")) link.classList.toggle("active", link.dataset.page === page);
  const draw = pages[page];
  document.body.dataset.page = page;
  document.body.dataset.ready = "";
  try {
    if (!draw) throw new Error(`no page ${page}`);
    const content = await draw(arg, params);
    main.replaceChildren(...[content].flat(2));
  } catch (error) {
    main.replaceChildren(el("h1", {}, "Something went wrong"), el("p", { class: "error" }, error.message));
  }
  document.body.dataset.ready = page;
}

window.addEventListener("hashchange", render);
render();
