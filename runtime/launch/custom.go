package launch

import (
	"context"
	"strings"

	"github.com/ltiforge/ltiforge/generated/lti2"
)

// Resolver gives the value of a substitution variable for one launch. The
// variable is named without a leading "$" (User.id, Person.email.primary).
// It returns false when the variable is unknown, not enabled for the tool,
// or has no value; the consumer then sends the literal "$" + variable
// (LTI2-FACTS §4.1).
type Resolver interface {
	Resolve(ctx context.Context, variable string) (string, bool)
}

// ResolverFunc adapts a function to a Resolver.
type ResolverFunc func(ctx context.Context, variable string) (string, bool)

// Resolve calls f.
func (f ResolverFunc) Resolve(ctx context.Context, variable string) (string, bool) {
	return f(ctx, variable)
}

// MapResolver resolves the variables it holds, keyed by variable name
// without "$".
type MapResolver map[string]string

// Resolve returns m[variable].
func (m MapResolver) Resolve(_ context.Context, variable string) (string, bool) {
	v, ok := m[variable]
	return v, ok
}

// Chain returns a Resolver that asks each resolver in turn (nil ones are
// skipped) and returns the first value found.
func Chain(rs ...Resolver) Resolver {
	return ResolverFunc(func(ctx context.Context, variable string) (string, bool) {
		for _, r := range rs {
			if r == nil {
				continue
			}
			if v, ok := r.Resolve(ctx, variable); ok {
				return v, true
			}
		}
		return "", false
	})
}

// Only returns a Resolver that resolves, through r, only the variables
// listed (with or without "$"), such as those a tool enabled: a tool
// consumer substitutes only enabled variables (LTI2-FACTS §4.1).
func Only(r Resolver, variables ...string) Resolver {
	allowed := make(map[string]bool, len(variables))
	for _, v := range variables {
		allowed[strings.TrimPrefix(v, "$")] = true
	}
	return ResolverFunc(func(ctx context.Context, variable string) (string, bool) {
		if r == nil || !allowed[variable] {
			return "", false
		}
		return r.Resolve(ctx, variable)
	})
}

// Custom is one custom parameter a tool consumer sends.
//
// In an LTI-1p0 launch Name is a key that is mapped (MapCustomName) and
// sent as custom_<mapped name>; a Value of the form "$Variable" is
// substituted. In an LTI-2p0 launch Name is a message handler parameter's
// name, sent as custom_<Name> exactly, and Value is a fixed value that is
// never substituted. In both, a non-empty Variable (with or without a
// leading "$") asks for that variable's value instead of Value.
type Custom struct {
	// Name is the key (LTI 1) or parameter name (LTI 2), without custom_.
	Name string
	// Value is the literal value (LTI 1: or "$Variable").
	Value string
	// Variable names the substitution variable whose value is sent.
	Variable string
}

// CustomFromParameters converts an LTI 2 message handler's parameter list
// (as in a ToolProxy's resource_handler[].message[].parameter[]) to Custom
// parameters.
func CustomFromParameters(ps []lti2.Parameter) []Custom {
	out := make([]Custom, 0, len(ps))
	for _, p := range ps {
		out = append(out, Custom{Name: string(p.Name), Value: string(p.Fixed), Variable: string(p.Variable)})
	}
	return out
}

// MapCustomName maps an LTI 1 custom parameter key as tool consumers do
// (LTI2-FACTS §4.1): ASCII letters are lower-cased, and every character
// outside [a-z0-9] becomes "_". The result does not include custom_.
func MapCustomName(key string) string {
	var b strings.Builder
	b.Grow(len(key))
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// substitute returns the value to send for c in a launch of version v.
func substitute(ctx context.Context, r Resolver, v Version, c Custom) string {
	variable := strings.TrimPrefix(c.Variable, "$")
	if variable == "" {
		if v != LTI1 || !strings.HasPrefix(c.Value, "$") || len(c.Value) == 1 {
			return c.Value
		}
		variable = c.Value[1:]
	}
	if r != nil {
		if val, ok := r.Resolve(ctx, variable); ok {
			return val
		}
	}
	return "$" + variable
}
