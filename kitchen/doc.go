// Package kitchen models a restaurant kitchen as a measuring instrument:
// dishes are sequences of CPU steps (deterministic work units done by a
// cook), grill steps (waits that need one of the kitchen's grills, during
// which the cook is free), rest steps (plain waits), call steps (round
// trips to the grill service, package grill) and read steps (bytes from
// the pantry file); a menu is a weighted set of dishes with a number of
// grills and customers. It also computes the analytic model bound on
// throughput for a menu, a strategy's capacity and a core count.
//
// Menus are built in (Menus, Lookup, or PickMenus for a comma-separated
// list as the command line gives them) or read from YAML menu files
// (LoadMenu, ParseMenu), whose errors name file, line and field;
// Menu.Validate's name the field (FieldError). ParseRate and ParseSize read
// the rates and sizes that menu files and the command line share.
//
// Kitchen says what is cooked, never how it is served: run a menu with
// package strategies and measure it with package bench.
package kitchen
