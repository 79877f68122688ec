package report

import (
	"html/template"
)

var pageTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
h1, h2, h3 { font-weight: 600; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0 1.5em; font-size: .9em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: right; }
th { background: #f4f4f4; }
td.text, th.text { text-align: left; }
caption { text-align: left; font-weight: 600; padding: .3em 0; }
.predicted { font-style: italic; color: #555; background: #f0f0f0; }
.measured { color: #aaa; }
.cannot { color: #a33; text-align: left; }
figure { margin: 1em 0; }
svg.chart { display: block; width: 100%; max-width: 800px; height: auto; }
figcaption { font-size: .85em; color: #555; max-width: 60em; }
nav a { margin-right: 1em; }
h1 { margin: 0 0 .2em; font-size: 1.6em; }
#verdict h2 { margin-top: .6em; }
#verdict p.how { color: #555; font-size: .85em; margin: .2em 0 .6em; }
ul.verdicts { list-style: none; padding: 0; margin: 0 0 1em; }
ul.verdicts > li { margin: 0 0 .55em; padding: .35em .6em; border-left: 4px solid #4e79a7; background: #f6f8fb; }
ul.verdicts > li > a { font-weight: 700; color: inherit; }
ul.verdicts ul { list-style: none; padding: 0 0 0 1em; margin: .15em 0 0; font-size: .88em; color: #333; }
span.machine { font-weight: 600; }
p.cannot { color: #a33; }
table.verdict tr.headline td { font-weight: 600; background: #f6f8fb; }
table.verdict caption { font-weight: normal; color: #555; font-size: .95em; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<nav>{{range .Menus}}<a href="#{{.ID}}">{{.Name}}</a>{{end}}<a href="#verdict-table">verdict table</a><a href="#machines">machines</a></nav>

<section id="verdict">
<h2>Verdict</h2>
<p class="how">Per menu, the strategy that served the most dishes/s, at the fewest cores that reach it; two strategies are named when their difference is within noise ({{.Verdict.Noise}}). “× sync” is over sync at 1 core; “% of bound” is the share of the model's limit; “binds” is the resource that sets that limit.{{if .Verdict.Multi}} Each machine is judged on its own figures; they agree where one strategy is among the best (within noise) on every machine.{{end}}</p>
<ul class="verdicts">
{{range .Verdict.Menus}}<li data-verdict-menu="{{.Name}}"><a href="#{{.ID}}">{{.Name}}</a>: {{.Clause}}{{if .Machines}}
<ul>{{range .Machines}}<li><span class="machine">{{.Label}}</span>: {{.Clause}}</li>{{end}}</ul>{{end}}</li>
{{end}}</ul>
<table class="verdict" id="verdict-table">
<caption>Every core count; the rows the sentences are about in bold. “≈”: a tie within noise.</caption>
<tr>{{range .Verdict.Head}}<th class="text">{{.}}</th>{{end}}</tr>
{{range .Verdict.Rows}}<tr{{if .Headline}} class="headline"{{end}}>{{range .Cells}}<td class="text">{{.}}</td>{{end}}</tr>
{{end}}</table>
</section>
{{range .Menus}}{{$multi := .MultiSource}}
<section class="menu" id="{{.ID}}" data-menu="{{.Name}}">
<h2>Menu {{.Name}}</h2>

<h3>Throughput against cores</h3>
<figure>
{{.Throughput}}
<figcaption>{{if .Normalized}}Each machine's median dishes per second over its own sync at 1 core, with the 95% interval: the shape of each machine's scaling, comparable across fast and slow machines. Colours are strategies, marker shapes machines.{{else}}Median dishes per second with its 95% interval, measured (solid lines, filled markers).{{end}}
{{if .Predicted}}Dashed lines with hollow markers (and the shaded band, when every series is predicted from the same core count) are <strong>predicted</strong> by the Universal Scalability Law fitted to the measurements: not measured.{{end}}</figcaption>
</figure>

{{if .CannotFit}}<p class="cannot">{{.CannotFit}}{{if .FitHint}} Measure at 3 or more core counts to fit it and predict larger machines: <code>kitchen run --cores 1,2,4</code> on a machine with 4 or more cores.{{end}}</p>
{{end}}{{if .Fits}}<table class="fits">
<caption>Universal Scalability Law fit: X(N) = λN / (1 + σ(N−1) + κN(N−1))</caption>
<tr>{{if .MultiSource}}<th class="text">machine</th>{{end}}<th class="text">strategy</th><th>measured cores</th><th>λ (dishes/s on 1 core)</th><th>σ (contention)</th><th>κ (coherency)</th><th class="predicted">peak cores (predicted)</th><th class="predicted">peak dishes/s (predicted)</th><th>R²</th><th>RMSE (dishes/s)</th></tr>
{{range .Fits}}<tr>{{if $multi}}<td class="text">{{.Machine}}</td>{{end}}<td class="text">{{.Strategy}}</td><td>{{.Cores}}</td>
<td>{{.Lambda}}</td><td>{{.Sigma}}</td><td>{{.Kappa}}</td><td class="predicted">{{.PeakN}}</td><td class="predicted">{{.PeakX}}</td><td>{{.R2}}</td><td>{{.RMSE}}</td></tr>
{{end}}</table>

<table class="predictions">
<caption>Predicted dishes/s at core counts beyond those measured (USL; not measurements)</caption>
<tr>{{if .MultiSource}}<th class="text">machine</th>{{end}}<th class="text">strategy</th>{{range $.PredictCores}}<th class="predicted">{{.}} cores (predicted)</th>{{end}}</tr>
{{range .Fits}}<tr>{{if $multi}}<td class="text">{{.Machine}}</td>{{end}}<td class="text">{{.Strategy}}</td>{{range .Pred}}{{if .Measured}}<td class="measured">measured</td>{{else}}<td class="predicted">{{.Value}}</td>{{end}}{{end}}</tr>
{{end}}</table>
{{end}}
<h3>Latency</h3>
<figure>
{{.Latency}}
<figcaption>Order latency percentiles p50, p99 and p99.9 of each strategy at each measured core count (log scale). An open ring with an arrow up is only a lower bound: orders still waiting when the sample ended reach it, so the true value may be higher.</figcaption>
</figure>

<h3>Against the model bound</h3>
<figure>
{{.Bound}}
<figcaption>Median throughput as a percentage of the analytic bound of the model for that cell: 100% means the strategy got all the kitchen allows.</figcaption>
</figure>

<table class="cells">
<caption>Measurements</caption>
<tr>{{if .MultiSource}}<th class="text">machine</th>{{end}}<th class="text">strategy</th><th>cores</th><th>dishes/s (median)</th><th>95% interval</th><th>p50</th><th>p99</th><th>p99.9</th><th>% of bound</th><th>CV</th><th>orders</th><th>served</th><th>failed</th><th>cancelled</th><th>behind</th></tr>
{{range .Cells}}<tr>{{if $multi}}<td class="text">{{.Machine}}</td>{{end}}<td class="text">{{.Strategy}}</td><td>{{.Cores}}</td><td>{{.Median}}</td><td>{{.CI}}</td><td>{{.P50}}</td><td>{{.P99}}</td><td>{{.P999}}</td><td>{{.PctBound}}</td><td>{{.CV}}</td><td>{{.Orders}}</td><td>{{.Served}}</td><td>{{.Failed}}</td><td>{{.Canceled}}</td><td>{{if .Behind}}yes{{end}}</td></tr>
{{end}}</table>
</section>
{{end}}
<section id="machines">
<h2>Machines</h2>
<table class="machines">
<tr><th class="text"></th>{{range .Sources}}<th class="text">{{.}}</th>{{end}}</tr>
{{range .Machines}}<tr><th class="text">{{.Name}}</th>{{range .Values}}<td class="text">{{.}}</td>{{end}}</tr>
{{end}}</table>
</section>
</body>
</html>`))
