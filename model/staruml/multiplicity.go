package staruml

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
)

// maxBound caps a written bound; anything larger is a typo, and the cap
// keeps the number far from overflowing an int on any platform.
const maxBound = 1 << 30

// parseMultiplicity reads a StarUML multiplicity: "", "1", "0..1", "*",
// "1..*", "2", "2..5". An empty string is StarUML's "unspecified", which
// the reader takes as UML's default [1..1] (see the package doc for why).
func parseMultiplicity(s string) (uml.Multiplicity, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return uml.One, nil
	}
	lo, hi, ranged := strings.Cut(s, "..")
	if !ranged {
		if s == "*" {
			return uml.Multiplicity{Lower: 0, Upper: uml.Unlimited}, nil
		}
		n, err := bound(s, "bound")
		if err != nil {
			return uml.Multiplicity{}, err
		}
		return uml.Multiplicity{Lower: n, Upper: n}, nil
	}
	lo, hi = strings.TrimSpace(lo), strings.TrimSpace(hi)
	lower, err := bound(lo, "lower bound")
	if err != nil {
		return uml.Multiplicity{}, err
	}
	if hi == "*" {
		return uml.Multiplicity{Lower: lower, Upper: uml.Unlimited}, nil
	}
	upper, err := bound(hi, "upper bound")
	if err != nil {
		return uml.Multiplicity{}, err
	}
	if upper < lower {
		return uml.Multiplicity{}, fmt.Errorf("the lower bound %d is greater than the upper bound %d", lower, upper)
	}
	if upper == 0 {
		return uml.Multiplicity{}, fmt.Errorf("the upper bound is 0, so the element could never hold a value")
	}
	return uml.Multiplicity{Lower: lower, Upper: upper}, nil
}

// bound reads one non-negative bound.
func bound(s, what string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("the %s is missing", what)
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			if s == "*" {
				return 0, fmt.Errorf("the %s cannot be \"*\"", what)
			}
			return 0, fmt.Errorf("the %s %q is not a whole number or \"*\"", what, s)
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > maxBound {
		return 0, fmt.Errorf("the %s %s is too large", what, s)
	}
	return n, nil
}
