package results

import (
	"encoding/json"
	"fmt"
	"time"
)

// SchemaVersion is the version of the JSON result-file layout written by
// this package. Readers refuse files with any other version.
const SchemaVersion = 1

// File is one result file: where it was measured, what was run, and every
// raw sample. It is the unit that `kitchen run` writes and that `kitchen
// compare` and `kitchen check` read.
type File struct {
	Schema  int      `json:"schema"`
	Partial bool     `json:"partial,omitempty"` // the run was interrupted; Samples holds what was measured before
	Machine Machine  `json:"machine"`
	Config  Config   `json:"config"`
	Samples []Sample `json:"samples"`
	Knees   []Knee   `json:"knees,omitempty"` // from `kitchen knee`

	// Path is where the file was read from ("" for a file built in memory).
	Path string `json:"-"`
}

// Machine describes where a file was measured.
type Machine struct {
	Name        string  `json:"name,omitempty"` // a label: hostname when allowed, else "cpu model / N cpus"
	CPUModel    string  `json:"cpu_model,omitempty"`
	LogicalCPUs int     `json:"logical_cpus"`
	OS          string  `json:"os"`
	Arch        string  `json:"arch"`
	Kernel      string  `json:"kernel,omitempty"`
	GoVersion   string  `json:"go_version,omitempty"`
	GOMAXPROCS  []int   `json:"gomaxprocs,omitempty"`  // the core counts used in the run
	NsPerUnit   float64 `json:"ns_per_unit,omitempty"` // calibrated cost of one CPU work unit
	// CallRTT is the calibrated round trip of an empty call to the grill
	// service (loopback unless the run named one elsewhere), in ns; the
	// bound of menus with call steps uses it. 0: no call steps.
	CallRTT float64 `json:"call_rtt_ns,omitempty"`
	// ReadNsPerKiB is the calibrated time of a pantry read per KiB; the
	// bound of menus with read steps uses it. 0: no read steps.
	ReadNsPerKiB float64   `json:"read_ns_per_kib,omitempty"`
	Commit       string    `json:"commit,omitempty"`
	Date         time.Time `json:"date"`
	Hostname     string    `json:"hostname,omitempty"` // only when the user asked for it
	Label        string    `json:"label,omitempty"`    // what the user called the run: kitchen run --label
}

// Config is what the run was asked to do.
type Config struct {
	Menus      map[string]json.RawMessage `json:"menus,omitempty"` // full menu definitions, by name, as the runner encoded them
	Strategies []string                   `json:"strategies,omitempty"`
	Cores      []int                      `json:"cores,omitempty"`
	Count      int                        `json:"count,omitempty"`    // samples per cell
	Duration   time.Duration              `json:"duration,omitempty"` // per sample
	Arrival    string                     `json:"arrival,omitempty"`  // "closed", "poisson" or "uniform"
	Rate       float64                    `json:"rate,omitempty"`     // target orders/s for open-loop arrivals
	Waits      string                     `json:"waits,omitempty"`    // "precise" or "runtime"
	// Warmup is how long each sample served, unmeasured, before its
	// window opened (as JMH's warm-up iterations): closed-loop customers
	// then start the window mid-service rather than all ordering at time
	// zero. Files written before the flag existed read as 0: no warm-up.
	Warmup time.Duration `json:"warmup,omitempty"`
	// Customers is the closed-loop customer count when the run overrode
	// the menus' own; 0: each menu's.
	Customers int `json:"customers,omitempty"`
}

// Sample is one measurement of one cell (menu × strategy × cores).
type Sample struct {
	Menu     string `json:"menu"`
	Strategy string `json:"strategy"`
	Cores    int    `json:"cores"`
	Iter     int    `json:"iter"` // index of this sample within its cell

	Orders    int `json:"orders"` // submitted
	Served    int `json:"served"`
	Failed    int `json:"failed,omitempty"`
	Cancelled int `json:"cancelled,omitempty"`
	// Unfinished orders were still queued or cooking when the sample's
	// window closed: normal for a timed sample, not a failure.
	Unfinished int `json:"unfinished,omitempty"`
	// Censored orders were still queued or in progress when the window
	// closed, counted alike for every strategy (whether the strategy had
	// taken them off its queue or not). Each is in Hist with its age at
	// the window's end (window end − arrival): a lower bound on its
	// latency. Censored <= Unfinished + Cancelled.
	Censored int `json:"censored,omitempty"`
	// CensoredMin is the smallest censored age: a latency percentile at or
	// above it may be a censored order's lower bound rather than a measured
	// latency (see Latency.Lower). 0 when nothing was censored.
	CensoredMin time.Duration `json:"censored_min_ns,omitempty"`

	Elapsed      time.Duration `json:"elapsed_ns"`
	DishesPerSec float64       `json:"dishes_per_sec"`
	Bound        float64       `json:"bound_dishes_per_sec,omitempty"` // analytic model bound for this cell
	TargetRate   float64       `json:"target_rate,omitempty"`          // open loop only
	Behind       bool          `json:"behind,omitempty"`               // open loop fell behind its schedule
	// DispatchLagP50 and DispatchLagP99 (open loop only) say how late the
	// load generator placed orders after they were due, in nanoseconds.
	DispatchLagP50 float64 `json:"dispatch_lag_p50_ns,omitempty"`
	DispatchLagP99 float64 `json:"dispatch_lag_p99_ns,omitempty"`
	// MixBound is the model bound for the menu's own mix of dishes, beside
	// Bound, which is computed from the mix this sample happened to serve.
	// A strategy that starves its slow dishes serves a lighter mix and so
	// raises Bound to match; MixBound does not move. (A short window also
	// serves a lighter mix, its long dishes still cooking: the flag
	// "mix-starvation" therefore compares the mix of orders started.)
	MixBound float64 `json:"menu_mix_bound_dishes_per_sec,omitempty"`
	// NsPerUnit is the cost of one CPU work unit this sample's bounds use:
	// the fastest calibration of the run up to its round (noise only slows
	// a calibration). Machine.NsPerUnit is the run's first calibration.
	NsPerUnit float64 `json:"ns_per_unit,omitempty"`

	// CPUTime is the process's user+system CPU time over the window
	// (getrusage(RUSAGE_SELF)); 0 where unavailable.
	CPUTime time.Duration `json:"cpu_ns,omitempty"`
	// StealTime is the machine's steal time over the window, summed over
	// its CPUs (/proc/stat); 0 where unavailable.
	StealTime time.Duration `json:"steal_ns,omitempty"`
	// OtherCPU is the busy CPU time of everything else on the machine over
	// the window: /proc/stat's busy time minus CPUTime; 0 where
	// unavailable.
	OtherCPU time.Duration `json:"other_cpu_ns,omitempty"`
	// CPUPerDish is CPUTime ÷ Served, in nanoseconds: what one served dish
	// cost the process, whatever its wall-clock throughput.
	CPUPerDish float64 `json:"cpu_ns_per_dish,omitempty"`
	// CoresReceived is CPUTime ÷ window length: how many cores the process
	// actually ran on, on average.
	CoresReceived float64 `json:"cores_received,omitempty"`
	// Starved marks a sample whose strategy should have kept more cores
	// busy than the process received: its figures say more about the
	// machine's other load than about the strategy. Starved samples are
	// kept (and marked), not measured again.
	Starved bool `json:"starved,omitempty"`
	// Flags name what a reader must know before trusting the sample:
	// "over-bound" (DishesPerSec above Bound), "starved",
	// "mix-starvation" (the orders started were a much lighter mix than
	// the menu's: its slow dishes left queued), "censored-p99"
	// (p99 is a lower bound), "no-steady-state" (Little's law puts the
	// mean latency beyond the window).
	Flags []string `json:"flags,omitempty"`
	// GrillCPUPerDish is the CPU time the grill service spent during the
	// sample per dish served, in ns, as the service reports it (menus with
	// call steps only): the other end of each call's cost.
	GrillCPUPerDish float64 `json:"grill_cpu_ns_per_dish,omitempty"`

	Errors  []string           `json:"errors,omitempty"` // distinct failure messages, at most 10
	Latency Latency            `json:"latency"`
	PerDish map[string]Latency `json:"per_dish,omitempty"`
	Hist    *Histogram         `json:"hist,omitempty"` // full latency histogram, mergeable
}

// Latency summarises order latencies of one sample, in nanoseconds.
type Latency struct {
	P50  float64 `json:"p50_ns"`
	P90  float64 `json:"p90_ns,omitempty"`
	P99  float64 `json:"p99_ns"`
	P999 float64 `json:"p999_ns,omitempty"`
	Max  float64 `json:"max_ns,omitempty"`
	// Queue and Service split the median latency for open-loop runs.
	QueueP50   float64 `json:"queue_p50_ns,omitempty"`
	ServiceP50 float64 `json:"service_p50_ns,omitempty"`
	// Lower names the percentiles ("p50", "p90", "p99", "p999", "max")
	// that are only lower bounds: censored orders (still waiting at the
	// window's end) reach them, so the true value may be higher. A
	// percentile is a lower bound iff it is >= Sample.CensoredMin.
	Lower []string `json:"lower_bound,omitempty"`
	// LittleMean is the closed loop's steady-state mean latency by
	// Little's law, customers ÷ dishes/s, in nanoseconds: what the mean
	// latency would be had the window been long enough to reach it.
	LittleMean float64 `json:"little_mean_ns,omitempty"`
}

// Cell identifies one cell of the matrix.
type Cell struct {
	Menu     string
	Strategy string
	Cores    int
}

// Cell returns the cell s belongs to.
func (s *Sample) Cell() Cell { return Cell{s.Menu, s.Strategy, s.Cores} }

// String names c as menu/strategy/cores, as tables and findings show it.
func (c Cell) String() string { return fmt.Sprintf("%s/%s/%d", c.Menu, c.Strategy, c.Cores) }

// Knee is the highest open-loop arrival rate at which a strategy still met
// a latency objective: how many customers a kitchen can take.
type Knee struct {
	Menu     string  `json:"menu"`
	Strategy string  `json:"strategy"`
	Cores    int     `json:"cores"`
	SLO      string  `json:"slo"`    // e.g. "p99=50ms"
	Rate     float64 `json:"rate"`   // orders/s; 0 when even the lowest rate tried missed the SLO
	Lowest   float64 `json:"lowest"` // the search range
	Highest  float64 `json:"highest"`
	Bound    float64 `json:"bound,omitempty"` // model bound on throughput, dishes/s
	Probes   int     `json:"probes"`
}
