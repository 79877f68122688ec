package results

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fields of issue 11 (censoring, CPU use, starvation, warm-up) are
// optional: a file written before them reads, and a file with them reads
// them back.
func TestMeasurementFieldsRoundTripAndOldFilesRead(t *testing.T) {
	const old = `{"schema":1,"machine":{"logical_cpus":2,"os":"linux","arch":"amd64","date":"2026-01-01T00:00:00Z"},
"config":{"count":1,"duration":120000000},
"samples":[{"menu":"banquet","strategy":"pool","cores":2,"iter":0,"orders":10,"served":9,"unfinished":1,
"elapsed_ns":120000000,"dishes_per_sec":75,"latency":{"p50_ns":1000000,"p99_ns":2000000}}]}`
	f, err := Parse("old.json", []byte(old))
	require.NoError(t, err, "a file without the new fields reads")
	assert.Zero(t, f.Samples[0].Censored)
	assert.Nil(t, f.Samples[0].Latency.Lower)

	s := f.Samples[0]
	s.Censored, s.CensoredMin = 1, 50*time.Millisecond
	s.CPUTime, s.StealTime, s.OtherCPU = 200*time.Millisecond, time.Millisecond, 30*time.Millisecond
	s.CPUPerDish, s.CoresReceived, s.Starved = 2.2e7, 1.67, true
	s.MixBound, s.NsPerUnit = 80, 1000
	s.Flags = []string{"starved", "censored-p99"}
	s.Latency.Lower = []string{"p99", "max"}
	s.Latency.LittleMean = 8.5e8
	f.Samples[0] = s
	f.Config.Warmup, f.Config.Customers = 120*time.Millisecond, 64
	data, err := encodeJSON(f)
	require.NoError(t, err)
	for _, key := range []string{`"censored":1`, `"censored_min_ns":50000000`, `"cpu_ns":200000000`, `"steal_ns":1000000`,
		`"other_cpu_ns":30000000`, `"cpu_ns_per_dish":22000000`, `"cores_received":1.67`, `"starved":true`,
		`"menu_mix_bound_dishes_per_sec":80`, `"ns_per_unit":1000`, `"lower_bound":["p99","max"]`, `"little_mean_ns":850000000`,
		`"warmup":120000000`, `"customers":64`} {
		assert.Contains(t, strings.ReplaceAll(string(data), " ", ""), key)
	}
	got, err := Parse("new.json", data)
	require.NoError(t, err)
	assert.Equal(t, s, got.Samples[0])
	assert.Equal(t, f.Config.Warmup, got.Config.Warmup)
}

func TestMeasurementFieldsAreValidated(t *testing.T) {
	base := `{"schema":1,"machine":{"logical_cpus":2,"os":"linux","arch":"amd64","date":"2026-01-01T00:00:00Z"},
"config":{%s},"samples":[{"menu":"m","strategy":"sync","cores":1,"iter":0,"orders":1,"served":1,
"elapsed_ns":1000000000,"dishes_per_sec":1,"latency":{"p50_ns":1,"p99_ns":1%s}%s}]}`
	tests := []struct {
		name, config, latency, sample, want string
	}{
		{"negative cpu", "", "", `,"cpu_ns":-1`, "samples[0].cpu_ns"},
		{"negative censored", "", "", `,"censored":-1`, "samples[0].censored"},
		{"negative cores received", "", "", `,"cores_received":-0.5`, "samples[0].cores_received"},
		{"unknown lower bound", "", `,"lower_bound":["p42"]`, "", "lower_bound[0]"},
		{"negative warm-up", `"warmup":-5`, "", "", "config.warmup"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("bad.json", []byte(fmt.Sprintf(base, tc.config, tc.latency, tc.sample)))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
