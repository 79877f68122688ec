package results

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestMachineLabels(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 25, h, 18, 0, 0, time.UTC) }
	m := func(label, cpu string, cpus int, date time.Time, commit string) *File {
		return &File{Machine: Machine{Label: label, CPUModel: cpu, LogicalCPUs: cpus, Date: date, Commit: commit, GoVersion: "go1.26.8"}}
	}
	tests := []struct {
		name  string
		files []*File
		want  []string
	}{
		{"one file", []*File{m("", "AMD EPYC", 2, at(13), "")}, []string{"AMD EPYC / 2 cpus"}},
		{"CPUs differ", []*File{m("", "AMD EPYC", 2, at(13), ""), m("", "AMD EPYC", 4, at(13), "")},
			[]string{"AMD EPYC / 2 cpus", "AMD EPYC / 4 cpus"}},
		{"same machine, same day: the minute", []*File{m("", "AMD EPYC", 2, at(13), "a"), m("", "AMD EPYC", 2, at(20), "b")},
			[]string{"AMD EPYC / 2 cpus, 2026-11-25 13:18", "AMD EPYC / 2 cpus, 2026-11-25 20:18"}},
		{"other days: the day", []*File{m("", "X", 2, at(13), ""), m("", "X", 2, at(13).AddDate(0, 0, 1), "")},
			[]string{"X / 2 cpus, 2026-11-25", "X / 2 cpus, 2026-11-26"}},
		{"same time: the commit", []*File{m("", "X", 2, at(13), "516213bc5c68bb35"), m("", "X", 2, at(13), "deadbeefcafe-dirty")},
			[]string{"X / 2 cpus, commit 516213b", "X / 2 cpus, commit deadbee-dirty"}},
		{"labels win", []*File{m("laptop", "X", 2, at(13), ""), m("ci", "X", 2, at(13), "")}, []string{"laptop", "ci"}},
		{"equal labels get what differs", []*File{m("ci", "X", 2, at(13), ""), m("ci", "X", 2, at(20), "")},
			[]string{"ci, 2026-11-25 13:18", "ci, 2026-11-25 20:18"}},
		{"nothing differs: the position", []*File{m("", "X", 2, at(13), ""), m("", "X", 2, at(13), "")},
			[]string{"X / 2 cpus, file 1", "X / 2 cpus, file 2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, MachineLabels(tc.files), "MachineLabels()")
		})
	}
	f := m("", "X", 2, at(13), "")
	g := m("", "X", 2, at(13), "")
	f.Path, g.Path = "/tmp/a.json", "/tmp/b.json"
	assert.Equal(t, []string{"X / 2 cpus, a.json", "X / 2 cpus, b.json"}, MachineLabels([]*File{f, g}), "MachineLabels() by file name")
}
