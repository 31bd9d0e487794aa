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
// user sees. Names and types: the ones marked "table" in attributeDefs are rows of Flinks' Response Parameters tables
// (https://docs.flinks.com/api/enrich/endpoints/consumer-attributes/response-parameters) or of its changelog
// (https://docs.flinks.com/changelog/2026-10), typed as written there; the others are the simulator's own, in the
// library's snake_case style. A package answers a realistic subset of its table, not all of it. The simulator's
// Attributes Library (attributes_http.go) describes every name in its own words.

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

func init() {
	incomeSet := []string{"employer_name", "sum_employer_income", "count_employer_income",
		"average_monthly_employer_income", "sum_employer_income_month_1", "sum_employer_income_month_2",
		"sum_employer_income_month_3", "count_employer_income_month_1", "sum_government_income",
		"average_monthly_government_income", "average_monthly_non_employer_income", "sum_total_income",
		"sum_total_credits", "account_age_days", "average_monthly_free_cash_flow"}
	risk := []string{"current_balance", "average_daily_balance", "min_daily_balance", "days_with_negative_balance",
		"count_nsf", "count_nsf_30_days", "count_nsf_90_days", "sum_nsf_fees", "employer_name",
		"average_monthly_employer_income", "average_monthly_government_income", "average_monthly_free_cash_flow",
		"average_monthly_bill_payments", "average_monthly_housing_payments", "balance_change"}
	// Rows of the GetUserAnalysisAttributes table (response-parameters); the demo's logins have no auto loan
	// deposits, so they answer 0 and NONE_DETECTED as Flinks does.
	autoLoanBiz := []string{"auto_loan_deposits_frequency_biz", "auto_loan_deposits_trend_biz",
		"auto_loan_deposits_trend_simple_biz", "average_auto_loan_deposits_deposit_biz",
		"average_monthly_auto_loan_deposits_biz", "last_2_deposit_dates_auto_loan_deposits_biz",
		"count_auto_loan_deposits_current_month_biz", "sum_auto_loan_deposits_current_month_biz",
		"count_auto_loan_deposits_previous_month_biz", "sum_auto_loan_deposits_previous_month_biz",
		"average_monthly_payroll_deposits_biz"}
	// The NSF reversal attributes of the October 2026 changelog.
	reversals := []string{"count_reversed_payments_current_month_nsf", "count_reversed_payments_previous_month_nsf",
		"nbr_reversed_payments_nsf", "sum_reversed_payments_30_days_nsf", "sum_reversed_payments_60_days_nsf",
		"sum_reversed_payments_90_days_nsf", "sum_reversed_payments_nsf"}
	user := concat(incomeSet, risk, []string{"count_accounts", "primary_account_number", "count_etransfers_in",
		"count_etransfers_out"}, autoLoanBiz)
	lending := concat(incomeSet, risk, reversals, []string{"count_etransfers_in", "count_etransfers_out"})
	business := []string{"sum_business_revenue", "average_monthly_business_revenue", "sum_operating_expenses",
		"average_monthly_operating_expenses", "sum_fees", "count_nsf", "average_daily_balance",
		"days_with_negative_balance", "current_balance", "account_age_days"}
	businessAnalysis := concat(business, autoLoanBiz)
	// GetAllAttributes is every consumer attribute (the business ones have their own endpoints).
	all := concat(incomeSet, lending, risk, user)
	slices.Sort(all)
	for _, p := range []attributePackage{
		{name: "GetIncomeAttributes", names: incomeSet, details: detailAttributeDetails},
		{name: "GetLendingAttributes", names: lending},
		{name: "GetCreditRiskAttributes", names: risk, details: detailAttributesDetails},
		{name: "GetUserAnalysisAttributes", names: user, details: detailInCard},
		{name: "GetBusinessAnalysisAttributes", names: businessAnalysis, library: "business"},
		{name: "GetAllAttributes", names: all, details: detailAttributesDetails},
		{name: "GetAllBusinessAttributes", names: business, library: "business"},
	} {
		p.names = concat(p.names)
		if p.library == "" {
			p.library = "consumer"
		}
		attributeSets[strings.ToLower(p.name)] = &p
		for _, a := range p.names {
			if _, ok := attributeDefs[a]; !ok {
				panic("simulator: attribute " + a + " has no definition")
			}
		}
	}
}

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
	kindBill
	kindHousing
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
	mark(kindBill, chequingTemplates, "HYDRO-QUEBEC")
	mark(kindHousing, chequingTemplates, "MORTGAGE PMT")
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

var attributeDefs = map[string]attributeDef{
	"employer_name": {meaning: "Employer named on the payroll deposits, if any", kind: "string",
		value: func(an *analysis) any {
			for _, t := range an.txs {
				if kindOf(t.transaction) == kindPayroll {
					return t.description
				}
			}
			return nil
		}, match: plain(isKind(kindPayroll))},
	"sum_employer_income": {meaning: "Total of the payroll deposits over the period",
		value: sumOf(isKind(kindPayroll)), match: plain(isKind(kindPayroll))},
	"count_employer_income": {meaning: "Number of payroll deposits over the period",
		value: countOf(isKind(kindPayroll)), match: plain(isKind(kindPayroll))},
	"average_monthly_employer_income": {meaning: "Payroll deposits per month, averaged over the period",
		value: monthlyOf(isKind(kindPayroll)), match: plain(isKind(kindPayroll))},
	"sum_employer_income_month_1": {meaning: "Payroll deposits in the last complete calendar month",
		value: sumMatching(inMonthOf(1, isKind(kindPayroll))), match: inMonthOf(1, isKind(kindPayroll))},
	"sum_employer_income_month_2": {meaning: "Payroll deposits in the calendar month before that",
		value: sumMatching(inMonthOf(2, isKind(kindPayroll))), match: inMonthOf(2, isKind(kindPayroll))},
	"sum_employer_income_month_3": {meaning: "Payroll deposits three calendar months ago",
		value: sumMatching(inMonthOf(3, isKind(kindPayroll))), match: inMonthOf(3, isKind(kindPayroll))},
	"count_employer_income_month_1": {meaning: "Number of payroll deposits in the last complete calendar month",
		value: countMatching(inMonthOf(1, isKind(kindPayroll))), match: inMonthOf(1, isKind(kindPayroll))},
	"sum_government_income": {meaning: "Total of the government payments (benefits, tax credits, refunds)",
		value: sumOf(isKind(kindGovernment)), match: plain(isKind(kindGovernment))},
	"average_monthly_government_income": {meaning: "Government payments per month, averaged over the period",
		value: monthlyOf(isKind(kindGovernment)), match: plain(isKind(kindGovernment))},
	"average_monthly_non_employer_income": {meaning: "Other money received per month (e-Transfers, refunds, interest), " +
		"without pay, government payments and transfers between the holder's accounts",
		value: monthlyOf(nonEmployerIncome), match: plain(nonEmployerIncome)},
	"sum_total_income": {meaning: "All money received, without transfers between the holder's own accounts",
		value: sumOf(income), match: plain(income)},
	"sum_total_credits": {meaning: "Total of every credit, transfers included",
		value: sumOf(isCredit), match: plain(isCredit)},
	"account_age_days": {meaning: "Days since the oldest transaction of the accounts",
		value: func(an *analysis) any {
			if an.oldest == "" {
				return 0
			}
			return int(an.asOf.Sub(mustDate(an.oldest)).Hours() / 24)
		}},
	"average_monthly_free_cash_flow": {meaning: "Money received minus money spent, per month, without transfers " +
		"between the holder's accounts",
		value: func(an *analysis) any {
			in, _ := an.sum(income)
			out, _ := an.sum(expense)
			return math.Round(float64(in+out)/an.months()) / 100
		}},
	"current_balance": {meaning: "Total current balance of the accounts",
		value: func(an *analysis) any {
			var s int64
			for _, a := range an.accounts {
				s += a.current
			}
			return dollars(s)
		}},
	"average_daily_balance": {meaning: "Average end-of-day total balance over the period",
		value: func(an *analysis) any {
			if len(an.daily) == 0 {
				return 0.0
			}
			var s int64
			for _, b := range an.daily {
				s += b
			}
			return math.Round(float64(s)/float64(len(an.daily))) / 100
		}},
	"min_daily_balance": {meaning: "Lowest end-of-day total balance over the period",
		value: func(an *analysis) any {
			if len(an.daily) == 0 {
				return 0.0
			}
			return dollars(slices.Min(an.daily))
		}},
	"days_with_negative_balance": {meaning: "Days that ended with a negative total balance",
		value: func(an *analysis) any {
			n := 0
			for _, b := range an.daily {
				if b < 0 {
					n++
				}
			}
			return n
		}},
	"balance_change": {meaning: "End-of-day total balance today minus on the first day of the period",
		value: func(an *analysis) any {
			if len(an.daily) == 0 {
				return 0.0
			}
			return dollars(an.daily[0] - an.daily[len(an.daily)-1])
		}},
	"count_nsf": {meaning: "Debits the bank returned unpaid (NSF), over the period",
		value: countOf(isKind(kindNSF)), match: plain(isKind(kindNSF))},
	"count_nsf_30_days": {meaning: "NSF returned items in the last 30 days",
		value: countMatching(withinOf(30, isKind(kindNSF))), match: withinOf(30, isKind(kindNSF))},
	"count_nsf_90_days": {meaning: "NSF returned items in the last 90 days",
		value: countMatching(withinOf(90, isKind(kindNSF))), match: withinOf(90, isKind(kindNSF))},
	"sum_nsf_fees": {meaning: "Total of the NSF fees charged",
		value: sumOf(isKind(kindNSF)), match: plain(isKind(kindNSF))},
	"average_monthly_bill_payments": {meaning: "Utility and telecom bills paid per month",
		value: monthlyOf(isKind(kindBill)), match: plain(isKind(kindBill))},
	"average_monthly_housing_payments": {meaning: "Rent or mortgage paid per month",
		value: monthlyOf(isKind(kindHousing)), match: plain(isKind(kindHousing))},
	"count_accounts": {meaning: "Number of accounts the attributes were computed from",
		value: func(an *analysis) any { return len(an.accounts) }},
	"primary_account_number": {kind: "string", meaning: "Account receiving the most payroll (else the most credits): the " +
		"holder's main account",
		value: func(an *analysis) any {
			best, bestScore := "", int64(-1)
			for _, a := range an.accounts {
				var pay, credits int64
				for _, t := range an.txs {
					if t.account == a && t.amount > 0 {
						credits += t.amount
						if kindOf(t.transaction) == kindPayroll {
							pay += t.amount
						}
					}
				}
				if score := pay*1000 + credits/1000; score > bestScore {
					best, bestScore = a.number, score
				}
			}
			if best == "" {
				return nil
			}
			return best
		}},
	"count_etransfers_in": {meaning: "Interac e-Transfers received",
		value: countOf(func(t analysedTx) bool { return t.class == classETransfer && t.amount > 0 }),
		match: plain(func(t analysedTx) bool { return t.class == classETransfer && t.amount > 0 })},
	"count_etransfers_out": {meaning: "Interac e-Transfers sent",
		value: countOf(func(t analysedTx) bool { return t.class == classETransfer && t.amount < 0 }),
		match: plain(func(t analysedTx) bool { return t.class == classETransfer && t.amount < 0 })},
	"sum_business_revenue": {meaning: "All money received, without transfers between the holder's own accounts",
		value: sumOf(income), match: plain(income)},
	"average_monthly_business_revenue": {meaning: "Money received per month",
		value: monthlyOf(income), match: plain(income)},
	"sum_operating_expenses": {meaning: "All money spent, without transfers between the holder's own accounts",
		value: sumOf(expense), match: plain(expense)},
	"average_monthly_operating_expenses": {meaning: "Money spent per month",
		value: monthlyOf(expense), match: plain(expense)},
	"sum_fees": {meaning: "Bank fees charged, NSF fees included",
		value: sumOf(func(t analysedTx) bool { k := kindOf(t.transaction); return k == kindFee || k == kindNSF }),
		match: plain(func(t analysedTx) bool { k := kindOf(t.transaction); return k == kindFee || k == kindNSF })},

	// Rows of the GetUserAnalysisAttributes table, typed as it types them ("table").
	"auto_loan_deposits_frequency_biz": {meaning: "How often auto loan money is deposited", kind: "string", value: none},
	"auto_loan_deposits_trend_biz":     {meaning: "Trend of the auto loan deposits", kind: "number", value: zeroFloat},
	"auto_loan_deposits_trend_simple_biz": {meaning: "Trend of the auto loan deposits, in a word", kind: "string",
		value: none},
	"average_auto_loan_deposits_deposit_biz": {meaning: "Average auto loan deposit", kind: "integer", value: zeroInt},
	"average_monthly_auto_loan_deposits_biz": {meaning: "Auto loan deposits per month", kind: "number",
		value: zeroFloat},
	"last_2_deposit_dates_auto_loan_deposits_biz": {meaning: "Dates of the last two auto loan deposits",
		kind: "string", value: none},
	"count_auto_loan_deposits_current_month_biz": {meaning: "Auto loan deposits this month", kind: "integer",
		value: zeroInt},
	"sum_auto_loan_deposits_current_month_biz": {meaning: "Total of the auto loan deposits this month",
		kind: "integer", value: zeroInt},
	"count_auto_loan_deposits_previous_month_biz": {meaning: "Auto loan deposits last month", kind: "integer",
		value: zeroInt},
	"sum_auto_loan_deposits_previous_month_biz": {meaning: "Total of the auto loan deposits last month",
		kind: "integer", value: zeroInt},
	"average_monthly_payroll_deposits_biz": {meaning: "Payroll deposits per month", kind: "number",
		value: monthlyOf(isKind(kindPayroll)), match: plain(isKind(kindPayroll))},

	// The NSF reversal attributes of the October 2026 changelog; counts typed integer, sums number (the changelog
	// gives no types).
	"count_reversed_payments_current_month_nsf": {meaning: "Payments returned unpaid (NSF) this month",
		kind: "integer", value: countMatching(inMonthOf(0, reversedNSF)), match: inMonthOf(0, reversedNSF)},
	"count_reversed_payments_previous_month_nsf": {meaning: "Payments returned unpaid (NSF) last month",
		kind: "integer", value: countMatching(inMonthOf(1, reversedNSF)), match: inMonthOf(1, reversedNSF)},
	"nbr_reversed_payments_nsf": {meaning: "Payments returned unpaid (NSF) over the period", kind: "integer",
		value: countOf(reversedNSF), match: plain(reversedNSF)},
	"sum_reversed_payments_30_days_nsf": {meaning: "Total of the payments returned unpaid in the last 30 days",
		kind: "number", value: sumMatching(withinOf(30, reversedNSF)), match: withinOf(30, reversedNSF)},
	"sum_reversed_payments_60_days_nsf": {meaning: "Total of the payments returned unpaid in the last 60 days",
		kind: "number", value: sumMatching(withinOf(60, reversedNSF)), match: withinOf(60, reversedNSF)},
	"sum_reversed_payments_90_days_nsf": {meaning: "Total of the payments returned unpaid in the last 90 days",
		kind: "number", value: sumMatching(withinOf(90, reversedNSF)), match: withinOf(90, reversedNSF)},
	"sum_reversed_payments_nsf": {meaning: "Total of the payments returned unpaid over the period", kind: "number",
		value: sumOf(reversedNSF), match: plain(reversedNSF)},
}
