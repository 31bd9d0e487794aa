package flinks

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The Flinks Capital test institution and its users (docs/flinks-contract.md, "Environments and test users"): every test user's password is the
// same. TestUsers lists them, the quickest to demo first.
const (
	TestInstitution = "FlinksCapital"
	TestPassword    = "Everyday"
)

var TestUsers = []string{"greatday_nomfa", "Greatday", "test_pending", "test_dispatched", "test_disabled_account",
	"test_service_unavailable"}

// TestUserAnswers are the answers of the Flinks Capital test users' security questions (docs/flinks-contract.md, "Environments and test users"),
// keyed by a word of the question in English and French. The app shows them as a hint in the Toolbox and the
// offline demo, and the command line accepts the same keyword form in an answers file.
var TestUserAnswers = map[string]string{
	"city": "Montreal", "ville": "Montreal",
	"country": "Canada", "pays": "Canada",
	"shape": "Triangle", "forme": "Triangle",
}

// MatchAnswers answers each challenge from answers, which maps either the exact prompt or a keyword found in it
// (case-insensitive) to the answer. It names every prompt it cannot answer.
func MatchAnswers(challenges []SecurityChallenge, answers map[string]string) (map[string][]string, error) {
	// Longest keyword first, so "pays natal" wins over "pays" and the choice never depends on map order.
	keys := slices.SortedFunc(maps.Keys(answers), func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	out := make(map[string][]string, len(challenges))
	var missing []string
	for _, c := range challenges {
		if a, ok := answers[c.Prompt]; ok {
			out[c.Prompt] = []string{a}
			continue
		}
		prompt := strings.ToLower(c.Prompt)
		found := false
		for _, key := range keys {
			if key != "" && strings.Contains(prompt, strings.ToLower(key)) {
				out[c.Prompt] = []string{answers[key]}
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, fmt.Sprintf("%q", c.Prompt))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no answer for the security question %s; add it to the answers file as {\"<question or a word of it>\": \"<answer>\"}",
			strings.Join(missing, ", "))
	}
	return out, nil
}
