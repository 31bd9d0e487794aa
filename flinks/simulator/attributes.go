package simulator

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Enrich attributes (https://docs.flinks.com/api/enrich/endpoints/consumer-attributes/get-income-attributes and its
// sibling pages): GET {base}/v3/{customerId}/insight/login/{loginId}/attributes/{requestId}/{Set} for the packaged
// sets, and POST {base}/v3/{customerId}/insight/login/{loginId}/attributes/{requestId} for a chosen list. The answer
// is {HttpStatusCode, Card{Id, name: value…}, Login, RequestId} with the transactions behind the attributes where
// the package puts them (detailPlace).
//
// Every value is computed from the transactions the simulator generated for the login (data.go), over the accounts
// and the DaysOfTransactions of the GetAccountsDetail made on the same RequestId, so the numbers agree with what the
// user sees. Names and types: where each name comes from is in attribute_catalog.go (its source field) and in
// docs/flinks-contract.md, "Enrichment: attributes": a Flinks page, a real Flinks answer published in client code, or
// the simulator's own. A package answers a realistic subset of its table, not all of it. The simulator's Attributes
// Library (attributes_http.go) describes every name in its own words.

// nsfDescription is the fee a bank charges when it returns a pre-authorized debit unpaid (Non-Sufficient Funds).
const nsfDescription = "NSF FEE - RETURNED ITEM"

// noneDetected is the value of a string attribute with no transaction of its kind (get-all-attributes: "All
// attributes will return the NONE_DETECTED field if no data is available"; numbers default to 0 in the tables).
const noneDetected = "NONE_DETECTED"

// detailPlace is where a package puts the transactions behind its attributes.
type detailPlace int

const (
	detailNone              detailPlace = iota
	detailAttributeDetails              // top-level AttributeDetails{name: [tx]}: GetIncomeAttributes, the custom POST
	detailAttributesDetails             // top-level AttributesDetails{name: [tx]}: GetCreditRiskAttributes, GetAllAttributes
	detailInCard                        // Card.AttributesDetail [{Attribute, Transactions}]: GetUserAnalysisAttributes
)

// attributePackage is a GET endpoint: its names in order and where its details go.
type attributePackage struct {
	name    string // the endpoint's spelling
	names   []string
	details detailPlace
	library string // "consumer" or "business": which library describes it
}

// attributeSets are the GET endpoints, keyed by their lower-case name.
var attributeSets = map[string]*attributePackage{}

// concat joins lists, keeping each name once, in first-seen order.
func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, a := range l {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// AttributeSets maps each packaged attributes endpoint (GetIncomeAttributes, GetLendingAttributes, …) to the names
// its Card holds, in order.
func AttributeSets() map[string][]string {
	out := make(map[string][]string, len(attributeSets))
	for _, p := range attributeSets {
		out[p.name] = slices.Clone(p.names)
	}
	return out
}

// AttributeMeanings maps each attribute name the simulator computes to a one-line meaning, for a GUI or a CLI.
func AttributeMeanings() map[string]string {
	out := make(map[string]string, len(attributeDefs))
	for k, d := range attributeDefs {
		out[k] = d.meaning
	}
	return out
}

// AttributeTypes maps each attribute name to its JSON type ("number", "integer" or "string"), as the tables type
// it; a string attribute with nothing to report is NONE_DETECTED.
func AttributeTypes() map[string]string {
	out := make(map[string]string, len(attributeDefs))
	for k, d := range attributeDefs {
		out[k] = d.jsonType()
	}
	return out
}

// txKind sorts transactions for the attributes by the template that generated them.
type txKind int

const (
	kindOther txKind = iota
	kindPayroll
	kindGovernment
	kindUtility // hydro, gas
	kindTelecom // phone, cable, internet
	kindHousing // rent
	kindMortgage
	kindTransfer // between the holder's own accounts
	kindFee
	kindNSF
)

var kindByDescription = map[string]txKind{}

func init() {
	mark := func(kind txKind, templates []txTemplate, anyOf string) {
		for _, t := range templates {
			if slices.Contains(t.descriptions, anyOf) {
				for _, d := range t.descriptions {
					kindByDescription[d] = kind
				}
				return
			}
		}
		panic("simulator: no template describes " + anyOf)
	}
	mark(kindPayroll, chequingTemplates, "PAYROLL DEPOSIT ACME LOGISTICS")
	mark(kindGovernment, chequingTemplates, "CANADA CHILD BENEFIT")
	mark(kindUtility, chequingTemplates, "HYDRO-QUEBEC")
	mark(kindHousing, chequingTemplates, "MORTGAGE PMT")
	// The bills and housing templates mix kinds Flinks counts apart (utility and telecom, rent and mortgage).
	for _, d := range []string{"BELL CANADA", "VIDEOTRON", "ROGERS"} {
		kindByDescription[d] = kindTelecom
	}
	kindByDescription["MORTGAGE PMT"] = kindMortgage
	mark(kindFee, chequingTemplates, "MONTHLY ACCOUNT FEE")
	mark(kindTransfer, savingsTemplates, "TRANSFER FROM CHEQUING")
	mark(kindTransfer, savingsTemplates, "TRANSFER TO CHEQUING")
	mark(kindTransfer, usdTemplates, "TRANSFER FROM CAD ACCOUNT")
	kindByDescription[nsfDescription] = kindNSF
}

func kindOf(t transaction) txKind { return kindByDescription[t.description] }

// analysedTx is a transaction with the account it belongs to.
type analysedTx struct {
	transaction
	account *accountSpec
}

// analysis is everything the attributes are computed from: the chosen accounts' transactions over the window, and
// their end-of-day total balance for each day of it.
type analysis struct {
	loginID  string
	asOf     time.Time
	days     int
	accounts []*accountSpec
	txs      []analysedTx // newest first within each account
	daily    []int64      // daily[d]: total balance at the end of the day d days before asOf
	oldest   string       // date of the oldest transaction in the whole history of the accounts
}

func (an *analysis) months() float64 { return float64(an.days) / (365.0 / 12) }

// analyse gathers the accounts of prof that the filters keep (by default: Operations accounts in CAD, the only
// accountCategory Flinks documents for its Filters) and their last days days of transactions.
func analyse(prof profile, loginID string, asOf time.Time, count, days int, accountIDs, categories []string) *analysis {
	an := &analysis{loginID: loginID, asOf: asOf.UTC(), days: days, daily: make([]int64, days)}
	for i := range prof.accounts {
		a := &prof.accounts[i]
		switch {
		case len(accountIDs) > 0:
			if !slices.Contains(accountIDs, a.id) {
				continue
			}
		case len(categories) > 0:
			if !slices.ContainsFunc(categories, func(c string) bool { return strings.EqualFold(c, a.kind.category) }) {
				continue
			}
		case a.kind.category != "Operations" || a.kind.currency != "CAD":
			continue
		}
		an.accounts = append(an.accounts, a)
		var txs []transaction
		for t := range a.history(asOf, count, historyDays) {
			if an.oldest == "" || t.date < an.oldest {
				an.oldest = t.date
			}
			if an.asOf.Sub(mustDate(t.date)) < time.Duration(days)*24*time.Hour {
				txs = append(txs, t)
			}
		}
		for _, t := range txs {
			an.txs = append(an.txs, analysedTx{t, a})
		}
		// End-of-day balances: walk the days from asOf backwards alongside the (newest first) transactions.
		j := 0
		for d := range days {
			day := an.asOf.AddDate(0, 0, -d).Format(time.DateOnly)
			for j < len(txs) && txs[j].date > day {
				j++
			}
			switch {
			case j < len(txs):
				an.daily[d] += txs[j].balance
			case len(txs) > 0:
				oldest := txs[len(txs)-1]
				an.daily[d] += oldest.balance - oldest.amount
			default:
				an.daily[d] += a.current
			}
		}
	}
	return an
}

func mustDate(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// within reports whether t is in the last n days before asOf.
func (an *analysis) within(t analysedTx, n int) bool {
	return an.asOf.Sub(mustDate(t.date)) < time.Duration(n)*24*time.Hour
}

// monthStart is the first day of the month m complete months before asOf's (m=1: last month).
func (an *analysis) monthStart(m int) time.Time {
	return time.Date(an.asOf.Year(), an.asOf.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -m, 0)
}

func (an *analysis) inMonth(t analysedTx, m int) bool {
	start := an.monthStart(m)
	d := mustDate(t.date)
	return !d.Before(start) && d.Before(start.AddDate(0, 1, 0))
}

func (an *analysis) sum(keep func(analysedTx) bool) (total int64, n int) {
	for _, t := range an.txs {
		if keep(t) {
			total += t.amount
			n++
		}
	}
	return total, n
}

func (an *analysis) monthly(cents int64) float64 {
	if an.days == 0 {
		return 0
	}
	return math.Round(float64(cents)/an.months()) / 100
}

func isKind(k txKind) func(analysedTx) bool {
	return func(t analysedTx) bool { return kindOf(t.transaction) == k }
}

func isCredit(t analysedTx) bool { return t.amount > 0 }

// nonEmployerIncome is money coming in that is neither pay, a government payment nor a transfer between the
// holder's own accounts.
func nonEmployerIncome(t analysedTx) bool {
	k := kindOf(t.transaction)
	return t.amount > 0 && k != kindPayroll && k != kindGovernment && k != kindTransfer
}

func income(t analysedTx) bool { return t.amount > 0 && kindOf(t.transaction) != kindTransfer }

func expense(t analysedTx) bool { return t.amount < 0 && kindOf(t.transaction) != kindTransfer }

// attributeDef computes one attribute. match, when set, selects the transactions it is computed from, which
// AttributesDetail lists.
type attributeDef struct {
	meaning string
	value   func(an *analysis) any
	match   func(an *analysis, t analysedTx) bool
	kind    string // the JSON type; empty: inferred from the value (jsonType)
	source  source // where the name (and its type) comes from
}

// jsonType is the def's JSON type: its kind, or what its value function returns for an empty analysis.
func (d attributeDef) jsonType() string {
	if d.kind != "" {
		return d.kind
	}
	switch d.value(&analysis{}).(type) {
	case int:
		return "integer"
	case float64:
		return "number"
	}
	return "string"
}

// compute is the attribute's value as the wire carries it: a string attribute with nothing found is NONE_DETECTED.
func (d attributeDef) compute(an *analysis) any {
	v := d.value(an)
	if v == nil && d.jsonType() == "string" {
		return noneDetected
	}
	return v
}

func zeroInt(*analysis) any   { return 0 }
func zeroFloat(*analysis) any { return 0.0 }
func none(*analysis) any      { return nil }

// reversedNSF: the demo's NSF items are fees for a returned payment, which is what the reversal attributes count.
func reversedNSF(t analysedTx) bool { return kindOf(t.transaction) == kindNSF }

func sumOf(keep func(analysedTx) bool) func(*analysis) any {
	return func(an *analysis) any { s, _ := an.sum(keep); return dollars(abs(s)) }
}

func countOf(keep func(analysedTx) bool) func(*analysis) any {
	return func(an *analysis) any { _, n := an.sum(keep); return n }
}

func monthlyOf(keep func(analysedTx) bool) func(*analysis) any {
	return func(an *analysis) any { s, _ := an.sum(keep); return an.monthly(abs(s)) }
}

func plain(keep func(analysedTx) bool) func(*analysis, analysedTx) bool {
	return func(_ *analysis, t analysedTx) bool { return keep(t) }
}

func inMonthOf(m int, keep func(analysedTx) bool) func(*analysis, analysedTx) bool {
	return func(an *analysis, t analysedTx) bool { return keep(t) && an.inMonth(t, m) }
}

func withinOf(n int, keep func(analysedTx) bool) func(*analysis, analysedTx) bool {
	return func(an *analysis, t analysedTx) bool { return keep(t) && an.within(t, n) }
}

func abs(c int64) int64 {
	if c < 0 {
		return -c
	}
	return c
}

func sumMatching(match func(*analysis, analysedTx) bool) func(*analysis) any {
	return func(an *analysis) any {
		var s int64
		for _, t := range an.txs {
			if match(an, t) {
				s += t.amount
			}
		}
		return dollars(abs(s))
	}
}

func countMatching(match func(*analysis, analysedTx) bool) func(*analysis) any {
	return func(an *analysis) any {
		n := 0
		for _, t := range an.txs {
			if match(an, t) {
				n++
			}
		}
		return n
	}
}
