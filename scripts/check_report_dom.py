#!/usr/bin/env python3
"""Checks a flowlens report page as a browser built it (Chromium's --dump-dom).

Expected numbers are computed here, apart from the report code, from the outputs of other
commands: `flowlens summary --format json --top 0` (ports, rejected sources), `flowlens records`
(the over-time buckets and the heat map cells) and `flowlens audit --format json` (findings).

Safety checks need none of those: the page may hold only the elements the renderer writes, no
script element, no event-handler attribute, and its title must be the one the renderer wrote
(log data that ran as script would add elements or change the title). `--expect-text` names
strings from log data that must appear as text.

Exits 0 when every check passes, 1 otherwise, printing one line per check.
"""

import argparse
import json
import sys
from collections import Counter, defaultdict
from html.parser import HTMLParser

# Everything the renderer writes; anything else came from somewhere else.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "nav", "section", "article", "footer",
    "h1", "h2", "h3", "h4", "p", "a", "ul", "li", "span", "strong", "code", "dl", "dt", "dd", "div",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption",
    "svg", "g", "line", "text", "rect", "path",
}
SECTIONS = ["overview", "inputs", "issues", "timeline", "ports", "rejected-sources", "heatmap", "findings"]
DISPLAY_BUCKETS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
                   1209600, 2419200]


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = Counter()
        self.event_attributes = []
        self.ids = []
        self.hrefs = []
        self.rects = defaultdict(list)  # svg id -> [(class, count, start)]
        self.svg_attributes = {}
        self.articles = []  # (class, id)
        self.texts = []
        self.title = None
        self.body_attributes = None
        self._in_head = False
        self._svg = None
        self._in_head_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags[tag] += 1
        for name, _ in attrs:
            if name.lower().startswith("on"):
                self.event_attributes.append((tag, name))
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "a" and "href" in attributes:
            self.hrefs.append(attributes["href"])
        if tag == "body":
            self.body_attributes = attributes
        if tag == "svg":
            self._svg = attributes.get("id", "")
            self.svg_attributes[self._svg] = attributes
        if tag == "rect":
            self.rects[self._svg].append(
                (attributes.get("class", ""), int(attributes.get("data-count", "-1")), attributes.get("data-start")))
        if tag == "article":
            self.articles.append((attributes.get("class", ""), attributes.get("id")))
        if tag == "head":
            self._in_head = True
        if tag == "title" and self._in_head:
            self._in_head_title = True
            self.title = ""

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg = None
        if tag == "title":
            self._in_head_title = False
        if tag == "head":
            self._in_head = False

    def handle_data(self, data):
        self.texts.append(data)
        if self._in_head_title:
            self.title += data


class Checks:
    def __init__(self):
        self.failures = 0

    def expect(self, ok, what):
        print(("ok    " if ok else "FAIL  ") + what)
        if not ok:
            self.failures += 1


def load_records(path):
    rows = []
    with open(path, encoding="utf-8") as file:
        for line in file:
            if line.strip():
                rows.append(json.loads(line))
    return [r for r in rows if r.get("action") in ("ACCEPT", "REJECT") and r.get("log-status") not in ("NODATA", "SKIPDATA")]


def check_safety(page, checks, expected_title_prefix, expect_texts):
    checks.expect(page.tags["script"] == 0, f"no script element (found {page.tags['script']})")
    checks.expect(not page.event_attributes, f"no event-handler attributes (found {page.event_attributes[:3]})")
    unknown = sorted(set(page.tags) - ALLOWED_TAGS)
    checks.expect(not unknown, f"only the renderer's elements (others: {unknown})")
    checks.expect(page.tags["svg"] == 4, f"exactly the 4 chart svgs (found {page.tags['svg']})")
    checks.expect(page.title is not None and page.title.startswith(expected_title_prefix),
                  f"document title unchanged: {page.title!r}")
    checks.expect(not page.body_attributes, f"body has no attributes set (found {page.body_attributes})")
    text = "".join(page.texts)
    for expected in expect_texts:
        checks.expect(expected in text, f"log data shown as text: {expected!r}")


def check_structure(page, checks):
    for section in SECTIONS:
        checks.expect(section in page.ids, f"section #{section} present")
    checks.expect(len(page.ids) == len(set(page.ids)), "element ids are unique")
    for svg_id, attributes in page.svg_attributes.items():
        drawn = len(page.rects[svg_id])
        declared = attributes.get("data-bars", attributes.get("data-cells"))
        checks.expect(declared is None or int(declared) == drawn, f"{svg_id}: {drawn} rects, as its data attribute says")


def check_summary_charts(page, checks, summary, top):
    # Destination ports: the `top` with the most records; an ACCEPT and a REJECT bar each when non-zero.
    ports = summary["by_port"][:top]
    expected = []
    for row in ports:
        if row["accept"] > 0:
            expected.append(("bar accept", row["accept"]))
        if row["reject"] > 0:
            expected.append(("bar reject", row["reject"]))
    drawn = [(kind, count) for kind, count, _ in page.rects["chart-ports"]]
    checks.expect(drawn == expected, f"chart-ports: {len(drawn)} bars, expected {len(expected)} from summary --format json")

    # Rejected sources: prefixes with REJECT records, most first.
    rejected = sorted((row["reject"] for row in summary["by_source_cidr"] if row["reject"] > 0), reverse=True)[:top]
    drawn = [count for _, count, _ in page.rects["chart-rejected-sources"]]
    checks.expect(drawn == rejected, f"chart-rejected-sources: {len(drawn)} bars {drawn}, expected {rejected}")


def check_record_charts(page, checks, records, top):
    # Over time: buckets of the size the chart states, recomputed from the records.
    svg = page.svg_attributes.get("chart-timeline", {})
    size = int(svg.get("data-bucket-seconds", "0"))
    starts = [r["start"] for r in records if r.get("start") is not None]
    buckets = defaultdict(Counter)
    for r in records:
        if r.get("start") is not None:
            buckets[r["start"] // size * size][r["action"]] += 1
    span = (max(starts) // size - min(starts) // size + 1) if starts else 0
    smaller = [s for s in DISPLAY_BUCKETS if s < size]
    fits_smaller = smaller and (max(starts) // smaller[-1] - min(starts) // smaller[-1] + 1) <= 120
    checks.expect(size in DISPLAY_BUCKETS and span <= 120 and not fits_smaller,
                  f"chart-timeline: {span} buckets of {size} s, the smallest readable size giving at most 120")
    checks.expect(int(svg.get("data-buckets", "-1")) == span, f"chart-timeline: {svg.get('data-buckets')} buckets declared")
    expected = sorted((f"bar {action.lower()}", count, str(start))
                      for start, counts in buckets.items() for action, count in counts.items() if count > 0)
    drawn = sorted(page.rects["chart-timeline"])
    checks.expect(drawn == expected, f"chart-timeline: {len(drawn)} bars, expected {len(expected)} from the records")

    # Heat map: the busiest interfaces by REJECT records, and their most rejected destinations.
    cells = defaultdict(Counter)
    for r in records:
        interface = r.get("interface-id") or r.get("resource-id")
        if r["action"] == "REJECT" and interface is not None and r.get("dstport") is not None \
                and r.get("protocol") is not None:
            cells[interface][(r["dstport"], r["protocol"])] += 1
    rows = sorted(cells, key=lambda i: (-sum(cells[i].values()), i))[:top]
    column_totals = Counter()
    for interface in rows:
        column_totals.update(cells[interface])
    columns = sorted(column_totals, key=lambda c: (-column_totals[c], c))[:top]
    expected = [cells[i][c] for i in rows for c in columns if cells[i][c] > 0]
    drawn = [count for _, count, _ in page.rects["chart-heatmap"]]
    checks.expect(drawn == expected, f"chart-heatmap: {len(drawn)} cells, expected {len(expected)} from the records")


def check_findings(page, checks, audit, findings_per_rule):
    # Findings: every one up to the per-rule limit, each with an anchor something links to.
    per_rule = Counter(f["rule"] for f in audit["findings"])
    shown = sum(min(n, findings_per_rule) for n in per_rule.values())
    articles = [a for a in page.articles if a[0].startswith("finding")]
    checks.expect(len(articles) == shown, f"findings: {len(articles)} shown, expected {shown} of {len(audit['findings'])}")
    anchors = [a[1] for a in articles]
    linked = set(h[1:] for h in page.hrefs if h.startswith("#"))
    checks.expect(all(anchors) and len(set(anchors)) == len(anchors) and set(anchors) <= linked,
                  "findings: each has a unique id that a link points at")
    for severity in ("critical", "high", "medium", "low", "info"):
        n = sum(1 for f in audit["findings"] if f["severity"] == severity)
        if n:
            checks.expect(f"severity-{severity}" in page.ids, f"findings: #severity-{severity} ({n})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dom", help="the page as chromium --dump-dom printed it")
    parser.add_argument("--summary", help="flowlens summary --format json --top 0 of the same inputs (ports, sources)")
    parser.add_argument("--records", help="flowlens records (NDJSON) of the same inputs (over time, heat map)")
    parser.add_argument("--audit", help="flowlens audit --format json of the same inputs and policy (findings)")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--findings-per-rule", type=int, default=100)
    parser.add_argument("--title-prefix", default="flowlens report")
    parser.add_argument("--expect-text", action="append", default=[])
    parser.add_argument("--safety-only", action="store_true", help="only the checks that need no expected numbers")
    args = parser.parse_args()

    page = Page()
    with open(args.dom, encoding="utf-8") as file:
        page.feed(file.read())
    checks = Checks()
    check_safety(page, checks, args.title_prefix, args.expect_text)
    if not args.safety_only:
        check_structure(page, checks)
        if args.summary:
            with open(args.summary, encoding="utf-8") as file:
                check_summary_charts(page, checks, json.load(file), args.top)
        if args.records:
            check_record_charts(page, checks, load_records(args.records), args.top)
        if args.audit:
            with open(args.audit, encoding="utf-8") as file:
                check_findings(page, checks, json.load(file), args.findings_per_rule)
    print(f"{'FAILED' if checks.failures else 'passed'}: {args.dom}")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
