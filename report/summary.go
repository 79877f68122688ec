package report

import "github.com/kitchenbench/kitchenbench/results"

// The report shows cells as package results summarises them.
type cellSummary = results.CellSummary

var summarize = results.Summarize
