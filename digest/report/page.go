package report

import "html/template"

// page is the whole report. System fonts only, so nothing is fetched; the
// layout is one column that fits a phone and prints on A4 without cutting
// a chart in two.
var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{{.Title}}</title>
<style>
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 0; color: #1a202c; background: #fff; line-height: 1.45; }
main { max-width: 860px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.6rem; margin: 0.2em 0; }
h2 { font-size: 1.2rem; margin: 1.6em 0 0.4em; border-bottom: 1px solid #e2e8f0; padding-bottom: 0.2em; }
.meta { color: #4a5568; font-size: 0.9rem; }
.claims li { margin: 0.3em 0; font-weight: 600; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
.figure { border: 1px solid #e2e8f0; border-radius: 8px; padding: 8px 10px; }
.figure .name { font-size: 0.8rem; color: #4a5568; }
.figure .value { font-size: 1.3rem; font-weight: 700; }
.figure .spark { font-size: 1rem; letter-spacing: 1px; color: #2b6cb0; }
figure { margin: 0.8em 0 1.4em; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 600; }
figcaption small { display: block; font-weight: 400; color: #4a5568; }
svg.chart { width: 100%; height: auto; display: block; }
svg .grid { stroke: #e2e8f0; stroke-width: 1; }
svg .tick { font-size: 11px; fill: #4a5568; }
svg .node-label { font-size: 11px; fill: #1a202c; font-weight: 600; }
svg .edge-label { font-size: 12px; fill: #1a202c; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #edf2f7; vertical-align: top; }
th { background: #f7fafc; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
.none { color: #4a5568; font-style: italic; }
@media (max-width: 520px) { main { padding: 10px; } h1 { font-size: 1.3rem; } table { font-size: 0.8rem; } }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } .scroll { overflow: visible; } }
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p class="meta">{{.Period}}{{if .Generated}} · made {{.Generated}}{{end}}</p>

<h2>What the numbers say</h2>
{{if .Claims}}<ul class="claims">{{range .Claims}}<li>{{.}}</li>{{end}}</ul>{{else}}<p class="none">Not enough weeks yet to say where things are going.</p>{{end}}

<h2>This week</h2>
<div class="figures">{{range .Figures}}<div class="figure"><div class="name">{{.Name}}</div><div class="value">{{.Value}}</div><div class="spark" aria-hidden="true">{{.Spark}}</div></div>{{end}}</div>

<h2>Trends</h2>
{{range .Charts}}<figure><figcaption>{{.Title}}{{if .Note}}<small>{{.Note}}</small>{{end}}</figcaption>{{.SVG}}</figure>
{{end}}

<h2>Question → win conversion</h2>
<p>Of the people told "Yes, here's how" about a tool, how many shared a win with that tool within 14 days.</p>
{{with .Conversion}}{{if .All.Told}}<p><strong>{{.All.Converted}} of {{.All.Told}} ({{.All.Pct}}%)</strong></p>
<div class="scroll"><table><tr><th>by stage</th><th class="n">told</th><th class="n">shared a win</th><th class="n">%</th></tr>
{{range .ByStage}}<tr><td>{{.Key}}</td><td class="n">{{.Told}}</td><td class="n">{{.Converted}}</td><td class="n">{{.Pct}}%</td></tr>{{end}}</table></div>
<div class="scroll"><table><tr><th>by team</th><th class="n">told</th><th class="n">shared a win</th><th class="n">%</th></tr>
{{range .ByTeam}}<tr><td>{{.Key}}</td><td class="n">{{.Told}}</td><td class="n">{{.Converted}}</td><td class="n">{{.Pct}}%</td></tr>{{end}}</table></div>
{{else}}<p class="none">Nobody was told "Yes, here's how" in these weeks.</p>{{end}}{{end}}

<h2>Spread: who inspired whom across teams</h2>
{{if .HasSpread}}<figure><figcaption>Arrows go from the team whose win inspired to the team that followed; the number is how many times.</figcaption>{{.Spread}}</figure>
{{else}}<p class="none">No win inspired another team's yet.</p>{{end}}

<h2>Teams asking for access</h2>
{{if .Access}}<div class="scroll"><table><tr><th>team</th><th class="n">people this week</th><th class="n">questions this week</th><th>about</th><th>weeks asking</th><th>trend</th></tr>
{{range .Access}}<tr><td>{{.Team}}</td><td class="n">{{.People}}</td><td class="n">{{.Questions}}</td><td>{{.Tools}}</td><td>{{.WeeksAsking}}</td><td aria-hidden="true">{{.Sparkline}}</td></tr>{{end}}</table></div>
{{else}}<p class="none">No team outside the rollout asked for access in these weeks.</p>{{end}}

<h2>Champions this week</h2>
{{if or .Answerers .Bridges}}<div class="scroll"><table><tr><th>who</th><th>team</th><th>what</th></tr>
{{range .Answerers}}<tr><td>{{.Name}}</td><td>{{.Team}}</td><td>{{.What}}</td></tr>{{end}}
{{range .Bridges}}<tr><td>{{.Name}}</td><td>{{.Team}}</td><td>{{.What}}</td></tr>{{end}}</table></div>
{{else}}<p class="none">No answers or cross-team cheers this week.</p>{{end}}

{{if .TopWins}}<h2>Top wins this week</h2>
<ol>{{range .TopWins}}<li>{{.Who}}: {{.Text}} ({{.Saved}} saved)</li>{{end}}</ol>{{end}}

{{with .Rollout}}<h2>Rollout stage: {{.Stage}}</h2>
<p>{{.ActiveUsers}} active users, {{.Champions}} champions in {{.ChampionTeams}} teams, {{.EnrolledTeams}} of {{.Teams}} teams enrolled, {{.ActiveTeams}} with active users this week.</p>
{{if .Next}}<p>Ready for <strong>{{.Next}}</strong> at {{range $i, $g := $.Gaps}}{{if $i}}, {{end}}{{$g}}{{end}}.</p>{{else}}<p>Every stage reached: the flywheel runs on its own.</p>{{end}}{{end}}

<h2>Week by week</h2>
<div class="scroll"><table>
<tr><th>week of</th><th class="n">wins</th><th class="n">hours saved</th><th class="n">cheered by colleagues</th><th class="n">sharing</th><th class="n">new</th><th class="n">spread</th><th class="n">questions</th><th class="n">answered</th><th class="n">first answer</th><th>what / access / how / build</th></tr>
{{range .Weeks}}<tr><td>{{.Week}}</td><td class="n">{{.Wins}}</td><td class="n">{{.Hours}}</td><td class="n">{{.Peer}}</td><td class="n">{{.Sharers}}</td><td class="n">{{.New}}</td><td class="n">{{.Spread}}</td><td class="n">{{.Questions}}</td><td class="n">{{.Answer}}</td><td class="n">{{.Median}}</td><td>{{.Stages}}</td></tr>
{{end}}</table></div>
<p class="meta">Hours: a win counts at most the configured cap until two colleagues cheer it. Weeks are the digest's weeks.</p>
</main>
</body>
</html>
`))
