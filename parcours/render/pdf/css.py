"""The atlas' style sheet (the persona cards keep theirs in :mod:`.personas`)."""

ATLAS_CSS = """
h1.section { font-size: 19pt; margin-bottom: 1.5mm; color: #0f172a; }
.lead { color: #475569; max-width: 200mm; margin-bottom: 5mm; font-size: 9.5pt; }
.section-page { page-break-before: always; }
.section-page.typst { bookmark-level: 1; bookmark-label: attr(data-title); }
.typst-box.next { break-before: page; }
.kicker { font-size: 7.5pt; text-transform: uppercase; letter-spacing: 1pt; color: #2563eb;
          font-weight: 700; margin-bottom: 1mm; }

/* cover */
@page cover { margin: 0; @bottom-left { content: none; } @bottom-right { content: none; } }
.cover { page: cover; height: 210mm; position: relative; background: #0f172a; color: #fff; }
.cover .band { position: absolute; left: 0; top: 0; bottom: 0; width: 9mm;
               background: #2563eb; }
.cover .inner { position: absolute; left: 28mm; right: 24mm; top: 30mm; }
.cover .kicker { color: #93c5fd; font-size: 10pt; letter-spacing: 2pt; }
.cover h1 { color: #fff; font-size: 34pt; margin: 3mm 0 5mm 0; line-height: 1.1; }
.cover .desc { color: #cbd5e1; font-size: 11.5pt; max-width: 185mm; }
.cover .date { color: #e2e8f0; font-size: 11pt; margin-top: 7mm; font-weight: 600; }
.cover .figures { position: absolute; left: 28mm; right: 24mm; bottom: 26mm; }
.cover .figures table { border-collapse: collapse; }
.cover .figures td { padding: 0 12mm 0 0; vertical-align: top; }
.cover .figure { font-size: 30pt; font-weight: 700; color: #fff; line-height: 1; }
.cover .figure.alert { color: #fca5a5; }
.cover .figlabel { font-size: 8.5pt; color: #94a3b8; text-transform: uppercase;
                   letter-spacing: 1pt; margin-top: 1.5mm; }
.cover .contents { position: absolute; right: 22mm; top: 30mm; width: 80mm; }
.cover .contents li { color: #cbd5e1; font-size: 9.5pt; padding: 1.3mm 0;
                      border-bottom: 0.2mm solid #334155; }
.cover .contents li span { color: #64748b; display: inline-block; width: 7mm; }
.cover .contents li a { color: #cbd5e1; text-decoration: none; }
.cover .contents li { position: relative; padding-right: 9mm; }
.cover .contents li a::after { content: target-counter(attr(href), page); position: absolute;
                               right: 0; top: 1.3mm; color: #64748b; }

/* tables */
table.grid { border-collapse: collapse; width: 100%; font-size: 8.6pt; table-layout: fixed; }
table.grid th { text-align: left; font-size: 7.2pt; text-transform: uppercase;
                letter-spacing: 0.5pt; color: #64748b; font-weight: 700;
                border-bottom: 0.4mm solid #0f172a; padding: 1.5mm 2mm; vertical-align: bottom; }
table.grid td { border-bottom: 0.2mm solid #e2e8f0; padding: 1.4mm 2mm; vertical-align: top; }
table.grid tr { break-inside: avoid; }
table.grid td.num, table.grid th.num { text-align: right; white-space: nowrap; }
table.grid td.c, table.grid th.c { text-align: center; }
table.grid td.nowrap { white-space: nowrap; }
.sub { color: #94a3b8; font-size: 7.2pt; }

/* journeys × touchpoints */
table.matrix th.j { text-align: center; padding: 1.5mm 0.5mm; font-size: 7pt;
                    text-transform: none; letter-spacing: 0; font-weight: 600; color: #334155; }
table.matrix td { padding: 1mm 2mm; }
table.matrix td.dotcell { text-align: center; padding: 0.8mm 0; }
.jnum { display: inline-block; min-width: 4.6mm; height: 4.6mm; line-height: 4.6mm;
        border-radius: 2.3mm; background: #0f172a; color: #fff; font-size: 7pt;
        font-weight: 700; text-align: center; padding: 0 0.6mm; }
.dot { display: inline-block; width: 4.4mm; height: 4.4mm; line-height: 4.4mm;
       border-radius: 2.2mm; color: #fff; font-size: 7pt; font-weight: 700;
       text-align: center; }
.share { display: inline-block; height: 2.2mm; background: #93c5fd; border-radius: 1mm;
         vertical-align: middle; margin-right: 1.5mm; }
.key { columns: 2; column-gap: 8mm; font-size: 8pt; margin: 0 0 4mm 0; }
.key li { padding: 0.5mm 0; break-inside: avoid; }
.legend { font-size: 7.6pt; color: #64748b; margin: 2mm 0 3mm 0; }
.legend .dot { width: 3.2mm; height: 3.2mm; vertical-align: -0.5mm; margin: 0 1mm 0 3mm; }

/* priority matrix */
.prio { width: 100%; border-collapse: collapse; table-layout: fixed; }
.prio > tbody > tr > td { vertical-align: top; padding: 0; }
.prio td.chart { width: 142mm; }
.prio td.list { padding-left: 6mm; }
.prio svg { width: 140mm; height: auto; }
.prio td.list table.grid { font-size: 7.8pt; }
.prio td.list table.grid td { padding: 0.9mm 1.5mm; }
.prio td.list.compact table.grid { font-size: 7pt; }
.prio td.list.compact table.grid td { padding: 0.4mm 1.5mm; }

/* journey pages: A3 landscape, a map is a poster */
.journey-page { page-break-before: always; page: map; }
.journey-page.tiled { position: relative; }
.journey-page.tiled.first { bookmark-level: 1; bookmark-label: attr(data-title); }
.journey-page.tiled a.hit { position: absolute; display: block; }
.jhead { border-bottom: 0.4mm solid #0f172a; padding-bottom: 1.5mm; margin-bottom: 2.5mm; }
.jhead h1 { font-size: 15pt; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.meta { white-space: nowrap; overflow: hidden; }
.conts { margin-top: 1.5mm; font-size: 8pt; display: flex; }
.conts a { color: #1d4ed8; text-decoration: none; font-weight: 600; }
.conts a.next { margin-left: auto; }
.conts a.prev { color: #64748b; font-weight: 400; }
.conts a.prev::before { content: "← "; }
.conts a.next.right::after { content: " →"; }
.conts a.next.down::after { content: " ↓"; }
.jhead .jnum { vertical-align: 2pt; margin-right: 2mm; min-width: 6mm; height: 6mm;
               line-height: 6mm; border-radius: 3mm; font-size: 8pt; }
.meta { margin-top: 1.2mm; font-size: 8pt; color: #475569; }
.meta .chip { display: inline-block; border: 0.25mm solid #cbd5e1; border-radius: 2.5mm;
              padding: 0 2mm; margin-right: 1.2mm; color: #334155; }
.meta .chip.strong { background: #0f172a; border-color: #0f172a; color: #fff; }
.meta .part { float: right; color: #94a3b8; }
.mapbox { overflow: hidden; position: relative; }
.mapbox img { display: block; position: absolute; top: 0; }
.placeholder { border: 0.4mm dashed #cbd5e1; border-radius: 3mm; padding: 8mm; color: #64748b; }
.placeholder ol { margin: 3mm 0 0 5mm; padding: 0; columns: 3; font-size: 8.5pt; }

/* pain points and backlog */
.sev { display: inline-block; border-radius: 1.5mm; padding: 0 1.6mm; color: #fff;
       font-size: 7pt; font-weight: 700; white-space: nowrap; }
.bar { height: 3mm; white-space: nowrap; font-size: 0; }
.bar span { display: inline-block; height: 3mm; }
.count0 { color: #cbd5e1; }
.prio-badge { display: inline-block; border-radius: 1.5mm; padding: 0 1.6mm; color: #fff;
              font-size: 7pt; font-weight: 700; white-space: nowrap; }
.owner-none { color: #b91c1c; font-weight: 600; }
h2.sub-title { font-size: 11.5pt; margin: 6mm 0 2mm 0; }
.more { color: #64748b; font-size: 8pt; margin-top: 2mm; }
.two { width: 100%; border-collapse: collapse; }
.two > tbody > tr > td { vertical-align: top; padding: 0; }
.two td.gap { width: 8mm; }
"""
