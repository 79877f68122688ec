package kitchen

import (
	"time"
)

// One work unit is about 1 µs on the reference machine (see Calibrate), so
// the unit counts below read roughly as microseconds of cooking there.

func cpu(name string, units int64) Step { return Step{Name: name, Kind: CPU, Units: units} }
func grill(name string, d time.Duration) Step {
	return Step{Name: name, Kind: Grill, Wait: d}
}
func rest(name string, d time.Duration) Step { return Step{Name: name, Kind: Rest, Wait: d} }
func call(name string, hold time.Duration, reply int) Step {
	return Step{Name: name, Kind: Call, Wait: hold, Reply: reply}
}
func read(name string, bytes int64) Step { return Step{Name: name, Kind: Read, Bytes: bytes} }

// builtin returns fresh copies of the built-in menus, so callers may change
// what they get.
func builtin() []*Menu {
	return []*Menu{
		{
			// The talk's meal as written. Four grills for sixteen customers:
			// grilling binds once a strategy overlaps the waits, the talk's
			// point that kitchen design (grills) limits even many cooks.
			Name:  "steak-and-salad",
			About: "the talk's meal: a steak (season, grill, rest, plate) and a salad (chop, mix, plate); 4 grills, 16 customers",
			Dishes: []Dish{
				{Name: "steak", Weight: 1, Steps: []Step{
					cpu("season", 50), grill("grill", 4*time.Millisecond),
					rest("rest", 2*time.Millisecond), cpu("plate", 30),
				}},
				{Name: "salad", Weight: 1, Steps: []Step{
					cpu("chop", 200), cpu("mix", 100), cpu("plate", 30),
				}},
			},
			Grills:    4,
			Customers: 16,
			Seed:      1,
		},
		{
			// I/O-bound: ~20 µs of cooking per ~7.5 ms on a grill, a grill
			// for every customer. One cook who switches dishes while they
			// grill serves ~CPU-limited, a cook who waits at the grill ~1
			// dish per grill time: the multitasking cook's kitchen.
			Name:  "dinner-rush",
			About: "I/O-bound rush: little cooking, long grilling, plenty of grills; 1000 customers (async's kitchen)",
			Dishes: []Dish{
				{Name: "skewer", Weight: 2, Steps: []Step{
					cpu("thread", 10), grill("grill", 10*time.Millisecond), cpu("plate", 5),
				}},
				{Name: "flatbread", Weight: 3, Steps: []Step{
					cpu("stretch", 15), grill("bake", 5*time.Millisecond), cpu("plate", 5),
				}},
				{Name: "skewer-platter", Weight: 1, Steps: []Step{
					cpu("thread", 20), grill("grill", 8*time.Millisecond),
					rest("rest", 2*time.Millisecond), cpu("plate", 10),
				}},
			},
			Grills:    1000,
			Customers: 1000,
			Seed:      2,
		},
		{
			// CPU-bound: ~2 ms of cooking per dish from scratch, no waits.
			// Only more cooks on more cores (more grills, in the talk's
			// words) serve it faster; a lock around all cooking (the GIL)
			// serves it no faster than one cook.
			Name:  "banquet",
			About: "CPU-bound banquet: big dishes cooked from scratch, no waiting; 64 customers (free threading's kitchen)",
			Dishes: []Dish{
				{Name: "wellington", Weight: 1, Steps: []Step{
					cpu("prepare", 600), cpu("wrap", 400), cpu("roast", 1000),
				}},
				{Name: "croquembouche", Weight: 1, Steps: []Step{
					cpu("choux", 900), cpu("fill", 500), cpu("stack", 700),
				}},
				{Name: "consomme", Weight: 2, Steps: []Step{
					cpu("clarify", 1200), cpu("strain", 600),
				}},
			},
			Customers: 64,
			Seed:      3,
		},
		{
			// The talk's warning about async: one heavy computation blocks
			// the event loop. Nearly every order is a 100 µs canapé, but one
			// in 200 is a roast carved in a single 40 ms CPU step. On one
			// loop every canapé ordered meanwhile waits for the carving; a
			// pool keeps serving canapés on its other cooks. Open loop at
			// 600 orders/s: about 18% of one core.
			Name:  "big-roast",
			About: "mostly 100 µs canapés plus a rare roast carved in one 40 ms CPU step; its rate, 600/s, is for an open loop (--arrivals poisson): a long step blocks an event loop",
			Dishes: []Dish{
				{Name: "canape", Weight: 199, Steps: []Step{
					cpu("assemble", 70), cpu("garnish", 30),
				}},
				{Name: "roast", Weight: 1, Steps: []Step{
					cpu("season", 100), cpu("carve", 40_000),
				}},
			},
			Customers: 16,
			Seed:      4,
			Rate:      600,
		},
		{
			// The GIL convoy: soups go back and forth between the stove
			// (a grill) and a little cutting-board work, while the odd stew
			// needs 60 ms of uninterrupted cooking. Under the GIL, each time
			// a soup comes back from the stove it must wait for the stew's
			// cook to be asked to drop the lock: a switch interval (5 ms)
			// for each of its six CPU steps. Open loop at 100/s: 98 soups and
			// 2 stews a second, light enough that a pool's two cooks are
			// rarely both busy.
			Name:  "lunch-counter",
			About: "stove-bound soups beside the odd 60 ms stew; its rate, 100/s, is for an open loop (--arrivals poisson): the GIL convoy effect",
			Dishes: []Dish{
				{Name: "soup", Weight: 49, Steps: []Step{
					cpu("ladle", 5), grill("heat", time.Millisecond),
					cpu("stir", 5), grill("simmer", time.Millisecond),
					cpu("season", 5), grill("reduce", time.Millisecond),
					cpu("taste", 5), grill("boil", time.Millisecond),
					cpu("skim", 5), grill("warm", time.Millisecond),
					cpu("serve", 5),
				}},
				{Name: "stew", Weight: 1, Steps: []Step{
					cpu("braise", 60_000),
				}},
			},
			Grills:    16,
			Customers: 8,
			Seed:      5,
			Rate:      100,
		},
		{
			// dinner-rush with its grills across a socket: each grill step
			// is a call to the grill service holding as long, answering
			// 512 bytes. What the event loop, goroutines on Go's netpoller
			// and blocking workers cost per call shows beside the timer
			// version.
			Name:  "dinner-rush-net",
			About: "dinner-rush with real I/O: each grill step a TCP call to the grill service (1000 grills there); 1000 customers",
			Dishes: []Dish{
				{Name: "skewer", Weight: 2, Steps: []Step{
					cpu("thread", 10), call("grill", 10*time.Millisecond, 512), cpu("plate", 5),
				}},
				{Name: "flatbread", Weight: 3, Steps: []Step{
					cpu("stretch", 15), call("bake", 5*time.Millisecond, 512), cpu("plate", 5),
				}},
				{Name: "skewer-platter", Weight: 1, Steps: []Step{
					cpu("thread", 20), call("grill", 8*time.Millisecond, 512),
					rest("rest", 2*time.Millisecond), cpu("plate", 10),
				}},
			},
			Grills:    1000,
			Customers: 1000,
			Seed:      6,
		},
		{
			// Reads from a file beside some cooking: ~150 µs of cooking
			// and ~320 KiB read per dish. From the page cache a read is a
			// copy on the reading thread, so pool's cooks read in parallel
			// on their cores; an event loop hands reads to its thread pool.
			Name:  "pantry",
			About: "cooking with reads from the pantry file (64–256 KiB at seeded offsets); 32 customers",
			Dishes: []Dish{
				{Name: "stock", Weight: 1, Steps: []Step{
					cpu("chop", 60), read("fetch-bones", 256<<10), cpu("simmer", 40),
				}},
				{Name: "sauce", Weight: 2, Steps: []Step{
					read("fetch-base", 64<<10), cpu("whisk", 100), cpu("plate", 20),
				}},
			},
			Customers: 32,
			Seed:      7,
		},
	}
}

// Menus returns the built-in menus, in a stable order. Each call returns
// fresh copies.
func Menus() []*Menu { return builtin() }

// Lookup returns a fresh copy of the built-in menu named name.
func Lookup(name string) (*Menu, bool) {
	for _, m := range builtin() {
		if m.Name == name {
			return m, true
		}
	}
	return nil, false
}

// MenuNames lists the built-in menus' names in their stable order.
func MenuNames() []string {
	var names []string
	for _, m := range builtin() {
		names = append(names, m.Name)
	}
	return names
}
