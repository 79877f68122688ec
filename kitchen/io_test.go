package kitchen

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ioMenu = `name: io
grills: 2
customers: 4
seed: 3
dishes:
  - name: steak
    weight: 1
    steps:
      - {name: season, cpu: 10}
      - {name: sear, call: 3ms, reply: 512}
      - {name: fetch-stock, read: 64KiB}
      - {name: ping, call: 0s}
`

func TestParseMenuCallAndRead(t *testing.T) {
	m, err := ParseMenu("io.yaml", []byte(ioMenu))
	require.NoError(t, err, "ParseMenu(io)")
	steps := m.Dishes[0].Steps
	assert.Equal(t, Step{Name: "sear", Kind: Call, Wait: 3 * time.Millisecond, Reply: 512}, steps[1], "sear")
	assert.Equal(t, Step{Name: "fetch-stock", Kind: Read, Bytes: 64 << 10}, steps[2], "fetch-stock")
	assert.Equal(t, Step{Name: "ping", Kind: Call}, steps[3], "ping")
	assert.True(t, m.HasIO(), "HasIO()")
	assert.Equal(t, 512, m.MaxReply(), "MaxReply()")
	assert.Equal(t, int64(64<<10), m.MaxRead(), "MaxRead()")

	data, err := MarshalMenu(m)
	require.NoError(t, err, "MarshalMenu(io)")
	back, err := ParseMenu("io.yaml", data)
	require.NoError(t, err, "ParseMenu(MarshalMenu(io)):\n%s", data)
	assert.Equal(t, m, back, "round trip")
}

func TestParseMenuCallAndReadErrors(t *testing.T) {
	for _, tc := range []struct{ name, step, want string }{
		{"negative hold", "{name: s, call: -1ms}", "io.yaml:9: dishes[0].steps[1].call: -1ms out of range [0s, 1h0m0s]"},
		{"reply without call", "{name: s, cpu: 1, reply: 5}", "io.yaml:9: dishes[0].steps[1].reply: only a call step takes a reply"},
		{"reply too big", "{name: s, call: 1ms, reply: 1GiB}", "io.yaml:9: dishes[0].steps[1].reply: 1073741824 out of range [0, 67108864] bytes"},
		{"read zero", "{name: s, read: 0}", "io.yaml:9: dishes[0].steps[1].read: 0 out of range [1, 67108864] bytes"},
		{"read fraction", "{name: s, read: 1.5B}", "io.yaml:9: dishes[0].steps[1].read: size \"1.5B\" is not a whole number of bytes below 2^62: want a size in bytes such as 512, 64KiB or 1MiB"},
		{"read word", "{name: s, read: lots}", "io.yaml:9: dishes[0].steps[1].read: size \"lots\" unreadable: want a size in bytes such as 512, 64KiB or 1MiB"},
		{"call and read", "{name: s, call: 1ms, read: 5}", "io.yaml:9: dishes[0].steps[1]: both call and read: want exactly one of cpu, grill, rest, call or read per step"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "name: io\ngrills: 2\ncustomers: 4\ndishes:\n  - name: d\n    weight: 1\n    steps:\n      - {name: a, cpu: 1}\n      - " + tc.step + "\n"
			_, err := ParseMenu("io.yaml", []byte(src))
			require.Error(t, err, "ParseMenu(%s)", tc.step)
			assert.Equal(t, tc.want, err.Error(), "ParseMenu(%s)", tc.step)
		})
	}
}

func TestBoundCostsPricesCallsAndReads(t *testing.T) {
	m, err := ParseMenu("io.yaml", []byte(ioMenu))
	require.NoError(t, err)
	costs := Costs{NsPerUnit: 1000, CallRTT: 100 * time.Microsecond, ReadNsPerKiB: 100}
	// cpu 10 µs + read 6.4 µs; holds 3 ms; two round trips 200 µs.
	cycle := 10e-6 + 6.4e-6 + 3e-3 + 200e-6
	l, terms := BindingCosts(m, Capacity{Cores: 1}, costs)
	assert.Equal(t, LimitGrills, l, "binding limit: 2 grills / 3 ms < 4 customers / 3.2 ms")
	assert.InDelta(t, 4/cycle, terms[LimitInProgress], 1e-6, "in-progress term")
	assert.InDelta(t, 2/3e-3, terms[LimitGrills], 1e-6, "grills term: holds only")
	assert.InDelta(t, 1/16.4e-6, terms[LimitCores], 1e-3, "cores term: cpu and read")
	_, off := BindingCosts(m, Capacity{Cores: 1, ReadsOffCores: true}, costs)
	assert.InDelta(t, 1/10e-6, off[LimitCores], 1e-3, "cores term with reads off the cores")
	assert.InDelta(t, Bound(m, Capacity{Cores: 1}, 1000), BoundCosts(m, Capacity{Cores: 1}, Costs{NsPerUnit: 1000}), 1e-9, "Bound = BoundCosts without I/O prices")
}

func TestPantryOffsetsAreFixedAlignedAndInRange(t *testing.T) {
	for _, direct := range []bool{false, true} {
		p := &Pantry{Size: 1 << 20, Direct: direct, Seed: 9}
		seen := map[int64]bool{}
		for id := int64(0); id < 1000; id++ {
			off := p.Offset(id, 2, 64<<10)
			require.GreaterOrEqual(t, off, int64(0))
			require.LessOrEqual(t, off+64<<10, p.Size, "Offset(%d) leaves no room", id)
			require.Zero(t, off%p.Align(), "Offset(%d) = %d unaligned", id, off)
			require.Equal(t, off, p.Offset(id, 2, 64<<10), "Offset(%d) not fixed", id)
			seen[off] = true
		}
		slots := int((p.Size-64<<10)/p.Align() + 1)
		assert.Greater(t, len(seen), min(slots, 1000)/2, "offsets spread over %d slots (direct=%v)", slots, direct)
		b := p.Buffer(100)
		assert.Equal(t, int(p.ReadLen(100)), len(b), "Buffer length")
	}
}

func TestCreatePantryWritesAndRemoves(t *testing.T) {
	p, err := CreatePantry(PantryOptions{Dir: t.TempDir(), Size: 1 << 20, Seed: 1})
	require.NoError(t, err, "CreatePantry")
	st, err := p.File.Stat()
	require.NoError(t, err)
	assert.Equal(t, int64(1<<20), st.Size(), "pantry size")
	b := p.Buffer(4096)
	n, err := p.File.ReadAt(b, p.Offset(1, 0, 4096))
	require.NoError(t, err)
	assert.Equal(t, 4096, n)
	assert.NotEqual(t, make([]byte, 4096), b, "pantry holds data, not zeros")
	dir := p.dir
	require.NoError(t, p.Close(), "Close")
	_, err = os.Stat(dir)
	assert.True(t, os.IsNotExist(err), "Close removes %s: %v", dir, err)

	_, err = CreatePantry(PantryOptions{Size: 1000})
	assert.ErrorContains(t, err, "pantry size 1000: want a positive multiple of 4096 bytes")
}
