package report

import "github.com/kitchenbench/kitchenbench/compare"

// The report shows cells as package compare summarises them.
type cellSummary = compare.CellSummary

var summarize = compare.Summarize
