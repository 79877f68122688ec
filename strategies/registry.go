package strategies

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// registry holds the strategies added with Register, beside builtins.
var registry struct {
	mu    sync.Mutex // guards names and new
	names []string   // in the order registered
	new   map[string]func() Strategy
}

// builtins are the built-in strategies with their default settings, in
// their canonical order; New hands out copies (each is a value type).
var builtins = []Strategy{Sync{}, EventLoop{}, Pool{}, GIL{}, Goroutines{}, Loops{}}

// builtin names builtins, in their order.
var builtin = func() []string {
	names := make([]string, len(builtins))
	for i, s := range builtins {
		names[i] = s.Name()
	}
	return names
}()

// Register adds a strategy of your own under name, so that New(name),
// Names, and with them every `kitchen` subcommand built on package cli,
// know it. newStrategy returns the strategy with its default settings; its
// Name should return name. Call Register from an init function or at the
// start of main, before the strategies are listed.
//
// Register panics when name is empty, holds a character that a Go
// benchmark name or a comma-separated --strategies list cannot carry
// (space, comma, '/', '='), is a built-in strategy's, or is registered
// already: each is a programmer's mistake.
func Register(name string, newStrategy func() Strategy) {
	if name == "" || strings.ContainsAny(name, " \t\n,/=") {
		panic(fmt.Sprintf("strategies: Register(%q): a name needs characters and none of space, comma, '/' or '='", name))
	}
	if newStrategy == nil {
		panic(fmt.Sprintf("strategies: Register(%q) with a nil function", name))
	}
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if slices.Contains(builtin, name) || registry.new[name] != nil {
		panic(fmt.Sprintf("strategies: Register(%q): the name is taken", name))
	}
	if registry.new == nil {
		registry.new = map[string]func() Strategy{}
	}
	registry.new[name] = newStrategy
	registry.names = append(registry.names, name)
}

// registered returns the registered names in the order registered.
func registered() []string {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	return slices.Clone(registry.names)
}

// lookup returns the registered function for name, or nil.
func lookup(name string) func() Strategy {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	return registry.new[name]
}
