// Package kitchen models a restaurant kitchen as a measuring instrument:
// dishes are sequences of CPU steps (deterministic work units done by a
// cook), grill steps (waits that need one of the kitchen's grills, during
// which the cook is free) and rest steps (plain waits); a menu is a weighted
// set of dishes with a number of grills and customers. It also computes the
// analytic model bound on throughput for a menu, a strategy's capacity and a
// core count. The built-in menus are found by name (Lookup, or PickMenus
// for a comma-separated list as the command line gives them).
//
// Kitchen says what is cooked, never how it is served: run a menu with
// package strategies and measure it with package bench.
package kitchen
