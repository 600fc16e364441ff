/// The report's stylesheet, inlined into the page: colours as custom properties, a dark palette
/// under `prefers-color-scheme: dark`, and a print stylesheet that forces the light palette,
/// hides navigation and keeps charts and findings whole on a page.
enum ReportStyle {
  static let css: StaticString = """
    :root {
      color-scheme: light dark;
      --bg: #ffffff; --fg: #1b2028; --muted: #5a6472; --line: #d7dce2; --panel: #f4f6f8;
      --accept: #2e7d5b; --reject: #cf4436; --heat: #cf4436; --link: #1d5fae;
      --critical: #8e1b1b; --high: #cf4436; --medium: #b7791f; --low: #2b6cb0; --info: #5a6472;
    }
    @media (prefers-color-scheme: dark) {
      :root {
        --bg: #101418; --fg: #e4e8ec; --muted: #9aa5b2; --line: #2b333c; --panel: #181e24;
        --accept: #4fb587; --reject: #f0766a; --heat: #ff6f61; --link: #7ab3ff;
        --critical: #ff8a80; --high: #f0766a; --medium: #e0b04e; --low: #7aa9e6; --info: #9aa5b2;
      }
    }
    * { box-sizing: border-box; }
    html { background: var(--bg); }
    body {
      margin: 0; background: var(--bg); color: var(--fg);
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif;
    }
    main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; }
    a { color: var(--link); }
    code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.92em; }
    code { overflow-wrap: anywhere; }
    h1 { font-size: 1.7em; margin: 0 0 4px; }
    h2 { font-size: 1.3em; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
    h3 { font-size: 1.1em; margin: 22px 0 8px; }
    h4 { font-size: 1em; margin: 0 0 4px; }
    .subtitle, .caption, .note { color: var(--muted); }
    .caption { font-size: 0.9em; margin: 6px 0 0; }
    nav.toc { margin: 14px 0 4px; font-size: 0.92em; }
    nav.toc a { margin-right: 14px; white-space: nowrap; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
    dl.facts dt { color: var(--muted); }
    dl.facts dd { margin: 0; overflow-wrap: anywhere; }
    ul.totals { display: grid; grid-template-columns: repeat(auto-fit, minmax(112px, 1fr)); gap: 8px; list-style: none; padding: 0; margin: 16px 0; }
    ul.totals li { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
    ul.totals .value { display: block; font-size: 1.3em; font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
    ul.totals .name { color: var(--muted); font-size: 0.85em; }
    ul.totals .accept .value { color: var(--accept); }
    ul.totals .reject .value { color: var(--reject); }
    table { border-collapse: collapse; margin: 8px 0; font-size: 0.93em; }
    th, td { padding: 3px 12px 3px 0; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
    th { color: var(--muted); font-weight: 600; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td code { overflow-wrap: anywhere; }
    ul.examples { padding-left: 20px; font-size: 0.93em; }
    figure { margin: 10px 0 0; }
    svg.chart { display: block; width: 100%; height: auto; overflow: visible; }
    svg.chart text { fill: var(--fg); font-size: 12px; }
    svg.chart .tick { fill: var(--muted); font-size: 11px; }
    svg.chart .value { fill: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
    svg.chart .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 11.5px; }
    svg.chart .gridline { stroke: var(--line); stroke-width: 1; fill: none; }
    svg.chart .tickmark { stroke: var(--muted); stroke-width: 1; }
    svg.chart .bar.accept { fill: var(--accept); }
    svg.chart .bar.reject { fill: var(--reject); }
    svg.chart .cell { fill: var(--heat); }
    svg.chart .cell-label { font-size: 11px; fill: var(--fg); }
    svg.chart .cell-label.strong { fill: #ffffff; font-weight: 600; }
    svg.chart .column-label { font-size: 11px; font-weight: 600; }
    .legend { display: flex; gap: 18px; font-size: 0.9em; color: var(--muted); margin: 4px 0; }
    .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
    .swatch.accept { background: var(--accept); }
    .swatch.reject { background: var(--reject); }
    .empty { color: var(--muted); font-style: italic; }
    .severity-index { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 8px 18px; }
    .badge { display: inline-block; border-radius: 4px; padding: 0 7px; font-size: 0.78em; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; color: #ffffff; background: var(--sev, var(--info)); vertical-align: 1px; }
    .sev-critical { --sev: var(--critical); }
    .sev-high { --sev: var(--high); }
    .sev-medium { --sev: var(--medium); }
    .sev-low { --sev: var(--low); }
    .sev-info { --sev: var(--info); }
    article.finding { background: var(--panel); border: 1px solid var(--line); border-left: 4px solid var(--sev, var(--info)); border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
    article.finding:target { outline: 2px solid var(--link); outline-offset: 2px; }
    article.finding h4 code { font-size: 1em; }
    article.finding .anchor { text-decoration: none; color: var(--muted); margin-right: 4px; }
    article.finding p { margin: 4px 0; }
    article.finding dl.facts { margin: 6px 0; font-size: 0.92em; }
    .remedy strong { color: var(--muted); }
    footer { margin-top: 40px; color: var(--muted); font-size: 0.85em; border-top: 1px solid var(--line); padding-top: 8px; }
    @media print {
      :root {
        --bg: #ffffff; --fg: #000000; --muted: #444c56; --line: #c9ced4; --panel: #ffffff;
        --accept: #2e7d5b; --reject: #cf4436; --heat: #cf4436; --link: #000000;
        --critical: #8e1b1b; --high: #cf4436; --medium: #b7791f; --low: #2b6cb0; --info: #5a6472;
      }
      * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      @page { margin: 14mm 12mm; }
      body { font-size: 10pt; }
      main { max-width: none; padding: 0; }
      nav.toc, article.finding .anchor { display: none; }
      a { text-decoration: none; color: inherit; }
      h2 { margin-top: 20px; }
      h2, h3, h4 { break-after: avoid; }
      figure, article.finding, tr, ul.totals, .legend { break-inside: avoid; }
      article.finding { border-left-width: 3px; }
    }
    """
}
