// Package render writes kitchenbench's tables for people and for other
// tools: text for a terminal or CI log, markdown for a pull request, CSV
// for a spreadsheet, JSON for a program.
//
// Each subject (a run's tables, and RunReport, all that a run prints; a
// comparison, a verdict, the per-dish, knee and open-loop tables; the
// claims' outcome, Claims; the menus' listing, Menus; and the A/B,
// history and verdict reports of their own packages) implements Subject, one typed method per format, as
// x/perf's benchtab has ToText and ToCSV; Write picks the method for a
// format named on the command line and is the only format switch there
// is. A Renderer is vegeta's Reporter: one subject in one format, bound
// to a writer later. Tables go through Table, the one table library
// (tablewriter) used everywhere, so that text and markdown look alike
// across commands.
//
// Render knows how to show figures, not how to get them: package results
// keeps the data, package stats compares it, package bench measures
// claims and models an open loop (shown beside it), and package cli
// chooses what to render from a command's flags.
package render
