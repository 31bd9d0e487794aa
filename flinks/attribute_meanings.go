package flinks

import "strings"

// The app's own wording, used only when Flinks' Attributes Library cannot be read or lacks a name (onboard/descriptions.go
// marks it as ours): an attribute explained from its name, the words Flinks' snake_case names are built from (sum,
// count, average, monthly, nsf …), with a few whole names spelled out. docs/flinks-contract.md, "Attribute names by
// package", says which names are Flinks'.

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

var attributeWords = map[string]string{
	"sum": "total of", "count": "number of", "average": "average", "avg": "average", "min": "lowest",
	"max": "highest", "monthly": "monthly", "daily": "daily", "nsf": "NSF (non-sufficient funds) items",
	"employer": "employer", "government": "government", "non": "non-", "income": "income", "total": "all",
	"credits": "deposits", "debits": "withdrawals", "free": "free", "cash": "cash", "flow": "flow",
	"bill": "bill", "payments": "payments", "housing": "housing", "loan": "loan", "balance": "balance",
	"business": "business", "revenue": "revenue", "operating": "operating", "expenses": "expenses",
	"fees": "fees", "etransfers": "Interac e-Transfers", "in": "received", "out": "sent", "days": "days",
	"accounts": "accounts", "current": "current", "month": "month", "with": "with", "negative": "negative",
	"nbr": "number of", "biz": "(business)", "trend": "trend", "previous": "previous", "ago": "ago",
	// Flinks' markers of how a figure is computed, which say nothing to a reader.
	"complex": "", "simple": "",
}

// AttributeMeaning returns a one-line meaning of an attribute name: its own for a few well-known ones, otherwise
// its words spelled out ("average_monthly_employer_income" → "average monthly employer income").
func AttributeMeaning(name string) string {
	key := strings.ToLower(strings.TrimSpace(name))
	if m, ok := attributeMeanings[key]; ok {
		return m
	}
	parts := strings.FieldsFunc(key, func(r rune) bool { return r == '_' || r == '-' || r == ' ' })
	words := make([]string, 0, len(parts))
	for _, p := range parts {
		if w, known := attributeWords[p]; known {
			p = w
		}
		if p != "" {
			words = append(words, p)
		}
	}
	out := strings.ReplaceAll(strings.Join(words, " "), "non- ", "non-")
	if out == "" {
		return ""
	}
	return strings.ToUpper(out[:1]) + out[1:]
}
