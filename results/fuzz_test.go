package results_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kitchenbench/kitchenbench/internal/fixture"
	"github.com/kitchenbench/kitchenbench/results"
)

// addSeeds adds every file of testdata/bad and testdata/*.txt as a seed.
func addSeeds(f *testing.F, globs ...string) {
	f.Helper()
	for _, g := range globs {
		paths, err := filepath.Glob(g)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}

// parsed parses data as the file name; an error must name the file, and
// ok is false after one.
func parsed(t *testing.T, name string, data []byte) (file *results.File, ok bool) {
	t.Helper()
	file, err := results.Parse(name, data)
	if err != nil {
		if !strings.HasPrefix(err.Error(), name) {
			t.Fatalf("Parse() error %q does not name the file", err)
		}
		return nil, false
	}
	return file, true
}

// FuzzReadJSON checks that Parse never panics on JSON-ish input, and that a
// file it accepts survives a write and a second read unchanged.
func FuzzReadJSON(f *testing.F) {
	good, err := results.EncodeJSON(fixture.File("seed", 1, 1, nil))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"schema":1,"partial":true,"machine":{},"config":{},"samples":[]}`))
	f.Add([]byte(`{"schema":1,"samples":[{"menu":"m","strategy":"s","cores":1,"hist":{"lowest":1,"highest":3600000000000,"sigfigs":3,"max":5,"buckets":[5,1]}}]}`))
	addSeeds(f, "testdata/bad/*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		file, ok := parsed(t, "fuzz.json", data)
		if !ok {
			return
		}
		again, err := results.EncodeJSON(file)
		if err != nil {
			t.Fatalf("encodeJSON(Parse()) = %v; want no error for a file Parse accepted", err)
		}
		file2, err := results.Parse("again.json", again)
		if err != nil {
			t.Fatalf("Parse(encodeJSON(Parse())) = %v; want no error", err)
		}
		a, _ := json.Marshal(file)
		b, _ := json.Marshal(file2)
		if !bytes.Equal(a, b) {
			t.Fatalf("round trip changed the file:\n%s\n%s", a, b)
		}
	})
}

// FuzzReadBenchfmt checks that Parse never panics on benchmark-format input
// and that what it accepts can be written back and read again.
func FuzzReadBenchfmt(f *testing.F) {
	var buf bytes.Buffer
	if err := results.WriteBenchfmt(&buf, fixture.File("seed", 1, 1, nil)); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("BenchmarkKitchen/menu=a/strategy=b 1 1 ns/op\n"))
	f.Add([]byte("cpu: x\nBenchmarkKitchen/menu=a/strategy=b-99999999999999999999 1 1 ns/op 1e308 dishes/s\n"))
	addSeeds(f, "testdata/*.txt", "testdata/bad/*.txt", "testdata/bad/*.bin")
	f.Fuzz(func(t *testing.T, data []byte) {
		file, ok := parsed(t, "fuzz.txt", data)
		if !ok {
			return
		}
		var out bytes.Buffer
		if err := results.WriteBenchfmt(&out, file); err != nil {
			t.Fatalf("WriteBenchfmt(Parse()) = %v", err)
		}
		if _, err := results.EncodeJSON(file); err != nil {
			t.Fatalf("encodeJSON(Parse()) = %v; want no error for a file Parse accepted", err)
		}
	})
}
