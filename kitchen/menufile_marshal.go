package kitchen

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// MarshalMenu writes m in the menu file format, so that ParseMenu gives m
// back. It refuses a menu that is not valid.
func MarshalMenu(m *Menu) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("kitchen: menu %q: %w", m.Name, err)
	}
	if err := checkMenuName(m.Name); err != nil {
		return nil, fmt.Errorf("kitchen: menu %q: name: %w", m.Name, err)
	}
	doc := menuDoc{Name: m.Name, About: m.About, Grills: m.Grills, Customers: m.Customers, Seed: m.Seed, Rate: m.Rate}
	for _, d := range m.Dishes {
		dd := dishDoc{Name: d.Name, Weight: d.Weight}
		for _, s := range d.Steps {
			sd := stepDoc{Name: s.Name}
			switch s.Kind {
			case CPU:
				sd.CPU = &s.Units
			case Grill:
				sd.Grill = s.Wait.String()
			case Rest:
				sd.Rest = s.Wait.String()
			case Call:
				sd.Call = s.Wait.String()
				if s.Reply != 0 {
					sd.Reply = FormatSize(int64(s.Reply))
				}
			case Read:
				sd.Read = FormatSize(s.Bytes)
			}
			dd.Steps = append(dd.Steps, sd)
		}
		doc.Dishes = append(doc.Dishes, dd)
	}
	var n yaml.Node
	if err := n.Encode(&doc); err != nil {
		return nil, fmt.Errorf("kitchen: menu %q: %w", m.Name, err)
	}
	// One step per line, in flow style: {name: grill, grill: 4ms}.
	if dishes := mapValue(&n, "dishes"); dishes != nil {
		for _, d := range dishes.Content {
			if steps := mapValue(d, "steps"); steps != nil {
				for _, s := range steps.Content {
					s.Style = yaml.FlowStyle
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, fmt.Errorf("kitchen: menu %q: %w", m.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("kitchen: menu %q: %w", m.Name, err)
	}
	return buf.Bytes(), nil
}

// menuDoc, dishDoc and stepDoc are the file format, for MarshalMenu only:
// ParseMenu reads the node tree (see the note in menufile.go).
type menuDoc struct {
	Name      string    `yaml:"name"`
	About     string    `yaml:"about,omitempty"`
	Grills    int       `yaml:"grills"`
	Customers int       `yaml:"customers"`
	Seed      uint64    `yaml:"seed"`
	Rate      float64   `yaml:"rate,omitempty"`
	Dishes    []dishDoc `yaml:"dishes"`
}

type dishDoc struct {
	Name   string    `yaml:"name"`
	Weight float64   `yaml:"weight"`
	Steps  []stepDoc `yaml:"steps"`
}

type stepDoc struct {
	Name  string `yaml:"name,omitempty"`
	CPU   *int64 `yaml:"cpu,omitempty"`
	Grill string `yaml:"grill,omitempty"`
	Rest  string `yaml:"rest,omitempty"`
	Call  string `yaml:"call,omitempty"`
	Reply string `yaml:"reply,omitempty"`
	Read  string `yaml:"read,omitempty"`
}

// mapValue returns the value of key in the mapping n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
