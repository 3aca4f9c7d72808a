package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/sharedtest"
)

// sections splits the semantic outline into its top-level sections
// ("media types:", "services:" …), each holding every word of its lines.
func sections(out string) map[string]map[string]bool {
	got := map[string]map[string]bool{}
	var cur map[string]bool
	for _, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, ":") && !strings.HasPrefix(line, " ") {
			cur = map[string]bool{}
			got[strings.TrimSuffix(line, ":")] = cur
			continue
		}
		if cur == nil {
			continue
		}
		for _, f := range strings.Fields(line) {
			cur[f] = true
		}
	}
	return got
}

// TestInspectSemanticListsTheStandardModel runs "ltigen inspect
// --semantic" with no files, which reads the built-in standard model, and
// checks that the listing names what LTI 2.0 Final defines. The expected
// names come from the specification's tables (LTI2-FACTS §1.1, §3.1, §4),
// and the variables from the 2.0 variable vocabulary itself.
func TestInspectSemanticListsTheStandardModel(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"inspect", "--semantic"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("the standard model has problems:\n%s", stderr.String())
	}
	got := sections(stdout.String())
	want := map[string][]string{
		"media types": {
			"application/vnd.ims.lti.v2.toolconsumerprofile+json",
			"application/vnd.ims.lti.v2.toolproxy+json",
			"application/vnd.ims.lti.v2.toolproxy.id+json",
			"application/vnd.ims.lti.v2.toolsettings+json",
			"application/vnd.ims.lti.v2.toolsettings.simple+json",
			"application/vnd.ims.lis.v2.result+json",
			"application/vnd.ims.lis.v2.membershipcontainer+json",
		},
		// The endpoints a Tool Consumer Profile offers, by their names.
		"services": {
			"ToolProxy.collection", "ToolProxy.item", "Result.item",
			"LtiLinkSettings", "ToolProxyBindingSettings", "ToolProxySettings",
			"Membership.collection",
		},
		"messages": {
			"basic-lti-launch-request", "ToolProxyRegistrationRequest", "ToolProxyReregistrationRequest",
		},
		"capabilities": {
			"basic-lti-launch-request", "ToolProxyRegistrationRequest", "ToolProxyReregistrationRequest",
			"Result.autocreate",
		},
	}
	for section, names := range want {
		if got[section] == nil {
			t.Errorf("the listing has no %q section", section)
			continue
		}
		for _, n := range names {
			if !got[section][n] {
				t.Errorf("section %q does not list %s", section, n)
			}
		}
	}

	ttl := string(sharedtest.Read(t, "spec/contexts/vocab-lti-v2-variable.purl-wget-2015-05.ttl"))
	vars := regexp.MustCompile(`(?m)^ltiv:(\S+) rdf:type ltiv:Variable`).FindAllStringSubmatch(ttl, -1)
	if len(vars) == 0 {
		t.Fatal("no variables found in the 2.0 variable vocabulary")
	}
	for _, v := range vars {
		if !got["variables"][v[1]] {
			t.Errorf("variables does not list %s", v[1])
		}
	}
}
