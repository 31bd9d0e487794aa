package onboard

import (
	"slices"
	"strings"
)

// The app's own wording of attribute names, used only when Flinks' Attributes Library cannot be read or lacks a
// name (descriptions.go marks it as ours): an attribute explained from its name, the words Flinks' snake_case
// names are built from (sum, count, average, monthly, nsf …), with a few whole names spelled out.
// docs/flinks-contract.md, "Attribute names by package", says which names are Flinks'. English is here, for both
// front ends; the GUI's French goes through the translations (ui/texts_attributes.go).

// AttributeWording spells attribute names out in one language. Whole gives a name's own meaning, Operator a word
// that opens a meaning ("sum" → "total of"; nil: none is set apart), Word any other word; each says whether it
// knows its argument, and an unknown word is kept as it is. NounFirst puts the noun before what qualifies it, as
// French does ("employer income" is "revenus d’emploi").
type AttributeWording struct {
	Whole, Operator, Word func(string) (string, bool)
	NounFirst             bool
}

// EnglishAttributeWording is the app's English.
var EnglishAttributeWording = AttributeWording{Whole: known(attributeMeanings), Word: known(attributeWords)}

func known(m map[string]string) func(string) (string, bool) {
	return func(w string) (string, bool) { s, ok := m[w]; return s, ok }
}

// silentWords are Flinks' markers of how a figure is computed ("_complex", "_simple"), which say nothing to a reader.
var silentWords = map[string]bool{"complex": true, "simple": true}

// Meaning returns a one-line meaning of an attribute name: its own for a few well-known ones, otherwise its words
// spelled out ("average_monthly_employer_income" → "Average monthly employer income").
func (w AttributeWording) Meaning(name string) string {
	key := strings.ToLower(strings.TrimSpace(name))
	if m, ok := w.Whole(key); ok {
		return m
	}
	parts := strings.FieldsFunc(key, func(r rune) bool { return r == '_' || r == '-' || r == ' ' })
	var lead, rest []string
	for _, p := range parts {
		if silentWords[p] {
			continue
		}
		if w.Operator != nil && len(rest) == 0 {
			if op, ok := w.Operator(p); ok {
				lead = append(lead, op)
				continue
			}
		}
		if word, ok := w.Word(p); ok {
			p = word
		}
		rest = append(rest, p)
	}
	if w.NounFirst {
		slices.Reverse(rest)
	}
	out := strings.ReplaceAll(strings.Join(append(lead, rest...), " "), "non- ", "non-")
	if out == "" {
		return ""
	}
	return strings.ToUpper(out[:1]) + out[1:]
}

// attributeMeanings are the whole names the app spells out.
var attributeMeanings = map[string]string{
	"employer_name":                          "the employer whose pay deposits were found",
	"count_nsf_90_days":                      "how many payments were returned for non-sufficient funds (NSF) in the last 90 days",
	"count_reversed_payments_because_of_nsf": "how many payments the bank returned unpaid for non-sufficient funds (NSF)",
	"count_days_negative_balance_90_days":    "how many of the last 90 days an account ended below zero",
	"balance_min":                            "the lowest the total balance went over the period",
	"balance_trend_simple":                   "whether the balance grew, fell or held steady over the period",
	"has_employer_income":                    "whether pay deposits were found (YES or NO)",
	"account_age_days":                       "how many days of history the oldest account shows",
}

// attributeWords are the words of the other names.
var attributeWords = map[string]string{
	"sum":        "total of",
	"count":      "number of",
	"average":    "average",
	"avg":        "average",
	"min":        "lowest",
	"max":        "highest",
	"monthly":    "monthly",
	"daily":      "daily",
	"nsf":        "NSF (non-sufficient funds) items",
	"employer":   "employer",
	"government": "government",
	"non":        "non-",
	"income":     "income",
	"total":      "all",
	"credits":    "deposits",
	"debits":     "withdrawals",
	"free":       "free",
	"cash":       "cash",
	"flow":       "flow",
	"bill":       "bill",
	"payments":   "payments",
	"housing":    "housing",
	"loan":       "loan",
	"balance":    "balance",
	"business":   "business",
	"revenue":    "revenue",
	"operating":  "operating",
	"expenses":   "expenses",
	"fees":       "fees",
	"etransfers": "Interac e-Transfers",
	"in":         "received",
	"out":        "sent",
	"days":       "days",
	"accounts":   "accounts",
	"current":    "current",
	"month":      "month",
	"with":       "with",
	"negative":   "negative",
	"nbr":        "number of",
	"biz":        "(business)",
	"trend":      "trend",
	"previous":   "previous",
	"ago":        "ago",
}
