package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// Read reads a result file: our JSON (detected by its leading '{') or text
// in the Go benchmark format, such as plain `go test -bench` output of
// BenchmarkKitchen. The returned File's Path is path.
//
// Every error names the file and, where it can, the line or field and the
// problem (see FileError): an empty file, binary data, malformed or
// truncated JSON, a schema version other than SchemaVersion, NaN, ±Inf or
// negative figures, samples without menu, strategy or cores, figures in the
// wrong unit, malformed benchmark lines, and text with no Kitchen results.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading result file: %w", err)
	}
	return Parse(path, data)
}

// Parse is Read for data already in memory; name is used in errors and as
// the File's Path.
func Parse(name string, data []byte) (*File, error) {
	if name == "" {
		name = "<input>"
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, &FileError{Path: name, Err: errors.New("empty file: want a JSON result file or Go benchmark output")}
	}
	if isBinary(data) {
		return nil, &FileError{Path: name, Err: errors.New("binary data: want a JSON result file or Go benchmark output")}
	}
	var f *File
	var err error
	if trimmed[0] == '{' || trimmed[0] == '[' {
		f, err = parseJSON(name, data)
	} else {
		f, err = parseBenchfmt(name, data)
	}
	if err != nil {
		return nil, err
	}
	f.Path = name
	return f, nil
}

// isBinary reports whether data looks like something other than text: a
// NUL byte or invalid UTF-8 in its first 8 KiB.
func isBinary(data []byte) bool {
	head := data[:min(len(data), 8<<10)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	if utf8.Valid(head) {
		return false
	}
	// Forgive one rune cut at the 8 KiB boundary.
	for cut := 1; cut < utf8.UTFMax && len(head) < len(data) && cut < len(head); cut++ {
		if utf8.Valid(head[:len(head)-cut]) {
			return false
		}
	}
	return true
}

// rawFile is File with each part kept raw, so that each is decoded on its
// own and an error names the part (and sample index) it came from.
type rawFile struct {
	Schema  *int              `json:"schema"`
	Partial bool              `json:"partial"`
	Machine json.RawMessage   `json:"machine"`
	Config  json.RawMessage   `json:"config"`
	Samples []json.RawMessage `json:"samples"`
}

func parseJSON(name string, data []byte) (*File, error) {
	var raw rawFile
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, jsonError(name, data, "", err)
	}
	if raw.Schema == nil {
		return nil, &FileError{Path: name, Field: "schema", Err: errors.New("missing: not a kitchenbench result file")}
	}
	if *raw.Schema != SchemaVersion {
		return nil, &FileError{Path: name, Field: "schema", Err: fmt.Errorf("version %d is not supported: this version of kitchenbench reads schema %d", *raw.Schema, SchemaVersion)}
	}
	f := &File{}
	if err := json.Unmarshal(data, f); err == nil {
		if f.Samples == nil {
			f.Samples = []Sample{} // "samples": null reads as none, as Write writes it
		}
		if err := validate(name, f); err != nil {
			return nil, err
		}
		return f, nil
	}
	// Decode part by part to say which part (and which sample) is wrong.
	f = &File{Schema: *raw.Schema, Partial: raw.Partial}
	p := newProblems(name)
	decode := func(field string, msg json.RawMessage, v any) {
		if len(msg) == 0 || string(msg) == "null" {
			return
		}
		if err := json.Unmarshal(msg, v); err != nil {
			p.Add(jsonError(name, nil, field, err))
		}
	}
	decode("machine", raw.Machine, &f.Machine)
	decode("config", raw.Config, &f.Config)
	f.Samples = make([]Sample, len(raw.Samples))
	for i, msg := range raw.Samples {
		decode(fmt.Sprintf("samples[%d]", i), msg, &f.Samples[i])
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	// Every part decodes alone, so the whole failed on a part decoded only
	// in full (a field added to File): report the whole's error.
	return nil, jsonError(name, data, "", json.Unmarshal(data, &File{}))
}

// jsonError turns an encoding/json error into a FileError with the line and
// column (when data is the whole file) or the field path.
func jsonError(name string, data []byte, field string, err error) error {
	fe := &FileError{Path: name, Field: field, Err: err}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		if data != nil && syn.Offset >= int64(len(bytes.TrimRightFunc(data, isSpace))) {
			fe.Err = fmt.Errorf("truncated JSON: input ends at byte %d in the middle of a value: %w", len(data), err)
		} else {
			fe.Err = fmt.Errorf("invalid JSON at byte %d: %w", syn.Offset, err)
		}
		if data != nil {
			fe.Line, fe.Col = lineCol(data, syn.Offset)
		}
	case errors.As(err, &typ) && field == "" && typ.Field == "":
		fe.Err = fmt.Errorf("the file holds a JSON %s; want an object with schema, machine, config and samples", typ.Value)
	case errors.As(err, &typ):
		if typ.Field != "" {
			fe.Field = joinField(field, typ.Field)
		}
		msg := fmt.Sprintf("cannot use %s as %v", typ.Value, typ.Type)
		if strings.HasPrefix(typ.Value, "number") {
			msg += " (out of range; NaN and ±Inf are not allowed)"
		} else if typ.Value == "string" && typ.Type != nil && typ.Type.Kind() == reflect.Float64 {
			msg += " (figures are JSON numbers; NaN and ±Inf are not allowed)"
		}
		fe.Err = &wrapped{msg, err}
		if data != nil {
			fe.Line, fe.Col = lineCol(data, typ.Offset)
		}
	}
	return fe
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

func joinField(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

// lineCol converts a byte offset (as encoding/json reports it: the count of
// bytes read) into a 1-based line and column.
func lineCol(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}

// Validate checks f as Read does: the schema version and every figure. It
// returns the problems found, joined, each naming its field; past a cap
// shared by every file kitchenbench reads, the rest are counted.
func (f *File) Validate() error {
	name := f.Path
	if name == "" {
		name = "<result file>"
	}
	if f.Schema != SchemaVersion {
		return &FileError{Path: name, Field: "schema", Err: fmt.Errorf("version %d is not supported: want %d", f.Schema, SchemaVersion)}
	}
	return validate(name, f)
}

// unitTolerance is how far a sample's dishes_per_sec may stray from
// served/elapsed before it is taken for a figure in another unit (per ms, per
// minute). Orders of several dishes make the two differ a little; a wrong
// unit makes them differ by 60× or 1000×.
const unitTolerance = 10

func validate(name string, f *File) error {
	p := newProblems(name)
	nonNeg := func(field string, v float64) {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			p.add(field, "%v is not a number; want a finite figure >= 0", v)
		case v < 0:
			p.add(field, "%v is negative; want >= 0", v)
		}
	}
	nonNegInt := func(field string, v int) {
		if v < 0 {
			p.add(field, "%d is negative; want >= 0", v)
		}
	}
	latency := func(field string, l Latency) {
		nonNeg(field+".p50_ns", l.P50)
		nonNeg(field+".p90_ns", l.P90)
		nonNeg(field+".p99_ns", l.P99)
		nonNeg(field+".p999_ns", l.P999)
		nonNeg(field+".max_ns", l.Max)
		nonNeg(field+".queue_p50_ns", l.QueueP50)
		nonNeg(field+".service_p50_ns", l.ServiceP50)
		if l.P99 > 0 && l.P50 > l.P99 {
			p.add(field, "p50_ns %v above p99_ns %v", l.P50, l.P99)
		}
		nonNeg(field+".little_mean_ns", l.LittleMean)
		for i, q := range l.Lower {
			switch q {
			case "p50", "p90", "p99", "p999", "max":
			default:
				p.add(fmt.Sprintf("%s.lower_bound[%d]", field, i), "%q; want one of p50, p90, p99, p999, max", q)
			}
		}
	}

	nonNegInt("machine.logical_cpus", f.Machine.LogicalCPUs)
	nonNeg("machine.ns_per_unit", f.Machine.NsPerUnit)
	for i, c := range f.Machine.GOMAXPROCS {
		if c < 1 {
			p.add(fmt.Sprintf("machine.gomaxprocs[%d]", i), "%d; want >= 1", c)
		}
	}
	nonNegInt("config.count", f.Config.Count)
	if f.Config.Duration < 0 {
		p.add("config.duration", "%v is negative; want >= 0", f.Config.Duration)
	}
	nonNeg("config.rate", f.Config.Rate)
	if f.Config.Warmup < 0 {
		p.add("config.warmup", "%v is negative; want >= 0", f.Config.Warmup)
	}
	nonNegInt("config.customers", f.Config.Customers)
	for i, c := range f.Config.Cores {
		if c < 1 {
			p.add(fmt.Sprintf("config.cores[%d]", i), "%d; want >= 1", c)
		}
	}
	if len(f.Samples) == 0 && !f.Partial {
		p.add("samples", "no samples (and the file is not marked partial)")
	}
	for i := range f.Samples {
		s := &f.Samples[i]
		at := fmt.Sprintf("samples[%d]", i)
		if s.Menu == "" {
			p.add(at+".menu", "missing; every sample names its menu")
		}
		if s.Strategy == "" {
			p.add(at+".strategy", "missing; every sample names its strategy")
		}
		if s.Cores < 1 {
			p.add(at+".cores", "%d; want >= 1", s.Cores)
		}
		for _, c := range []struct {
			field string
			v     int
		}{{"iter", s.Iter}, {"orders", s.Orders}, {"served", s.Served}, {"failed", s.Failed}, {"cancelled", s.Cancelled}, {"censored", s.Censored}} {
			nonNegInt(at+"."+c.field, c.v)
		}
		if s.Orders >= 0 && s.Served >= 0 && s.Failed >= 0 && s.Cancelled >= 0 &&
			s.Served+s.Failed+s.Cancelled > s.Orders {
			p.add(at, "served %d + failed %d + cancelled %d exceed the %d orders submitted", s.Served, s.Failed, s.Cancelled, s.Orders)
		}
		if s.Elapsed < 0 {
			p.add(at+".elapsed_ns", "%d is negative; want >= 0", s.Elapsed)
		}
		for _, r := range []struct {
			field string
			v     float64
		}{{"dishes_per_sec", s.DishesPerSec}, {"bound_dishes_per_sec", s.Bound}, {"target_rate", s.TargetRate},
			{"menu_mix_bound_dishes_per_sec", s.MixBound}, {"ns_per_unit", s.NsPerUnit}, {"cpu_ns_per_dish", s.CPUPerDish}, {"cores_received", s.CoresReceived}} {
			nonNeg(at+"."+r.field, r.v)
		}
		for _, d := range []struct {
			field string
			v     time.Duration
		}{{"censored_min_ns", s.CensoredMin}, {"cpu_ns", s.CPUTime}, {"steal_ns", s.StealTime}, {"other_cpu_ns", s.OtherCPU}} {
			if d.v < 0 {
				p.add(at+"."+d.field, "%d is negative; want >= 0", d.v)
			}
		}
		latency(at+".latency", s.Latency)
		for dish, l := range s.PerDish {
			latency(fmt.Sprintf("%s.per_dish[%q]", at, dish), l)
		}
		if s.Elapsed > 0 && s.Served > 0 && s.DishesPerSec > 0 && !math.IsInf(s.DishesPerSec, 0) {
			want := float64(s.Served) / s.Elapsed.Seconds()
			if r := s.DishesPerSec / want; r > unitTolerance || r < 1.0/unitTolerance {
				p.add(at+".dishes_per_sec", "%v disagrees with served/elapsed = %.4g/s: wrong unit? (want dishes per second)", s.DishesPerSec, want)
			}
		}
	}
	return p.Err()
}

// Write writes f as JSON to path, atomically: into a temporary file in the
// same directory, synced, then renamed (and the directory synced, best
// effort), so a reader never sees half a file and a crash never corrupts an
// existing one. A path ending in ".txt" is written in the Go benchmark
// format instead (see WriteBenchfmt).
//
// Write refuses to replace an existing non-empty file unless force is set.
// An existing empty file is a name reserved by UniqueName and is replaced.
// Write validates f first and refuses to write a file that Read would
// refuse. A zero f.Schema is set to SchemaVersion.
func Write(path string, f *File, force bool) error {
	if f.Schema == 0 {
		f.Schema = SchemaVersion
	}
	if err := validate(path, f); err != nil {
		return fmt.Errorf("refusing to write: %w", err)
	}
	var buf bytes.Buffer
	if strings.EqualFold(filepath.Ext(path), ".txt") {
		if err := WriteBenchfmt(&buf, f); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	} else {
		data, err := encodeJSON(f)
		if err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		buf.Write(data)
	}
	return writeAtomic(path, buf.Bytes(), force)
}

// encodeJSON is json.MarshalIndent, except that each sample is on one line
// of its own: a file of many samples and histograms stays short and diffs
// well, one line per sample.
func encodeJSON(f *File) ([]byte, error) {
	head := *f
	head.Samples = []Sample{}
	data, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return nil, err
	}
	// The top-level key is the only one indented by exactly two spaces.
	const key = "\n  \"samples\": []"
	i := bytes.Index(data, []byte(key))
	if i < 0 {
		return nil, errors.New("encoding result file: no top-level samples key")
	}
	var b bytes.Buffer
	b.Write(data[:i])
	b.WriteString("\n  \"samples\": [")
	for i := range f.Samples {
		s, err := json.Marshal(&f.Samples[i])
		if err != nil {
			return nil, fmt.Errorf("samples[%d]: %w", i, err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		b.Write(s)
	}
	if len(f.Samples) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]")
	b.Write(data[i+len(key):])
	b.WriteString("\n")
	return b.Bytes(), nil
}
