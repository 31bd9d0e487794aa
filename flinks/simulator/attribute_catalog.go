package simulator

import (
	"math"
	"slices"
	"strings"
)

// The names each package answers and how each value is computed. Every name says where it comes from (source), so
// that no name the simulator made up passes for one of Flinks': docs/flinks-contract.md, "Enrichment: attributes",
// lists the pages and what was searched. The Response Parameters page, which has every package's table, could not be
// read in full, so most packages answer names seen in a real Flinks answer rather than read on a Flinks page.

// source is where an attribute's name and JSON type come from.
type source int

const (
	// sourceUserAnalysisPage: the sample answer of the GetUserAnalysisAttributes page
	// (https://docs.flinks.com/api/enrich/endpoints/consumer-attributes/get-user-analysis-attributes).
	sourceUserAnalysisPage source = iota + 1
	// sourceResponseParameters: a row of the GetUserAnalysisAttributes table of the Response Parameters page
	// (https://docs.flinks.com/api/enrich/endpoints/consumer-attributes/response-parameters), read in an earlier audit.
	sourceResponseParameters
	// sourceChangelog: named in Flinks' changelog (https://docs.flinks.com/changelog/2026-04 and 2026-10).
	sourceChangelog
	// sourceSeen: not on a Flinks page the project could read, but in a real Flinks answer published in client code,
	// whose names follow the package's documented list of insights (docs/flinks-contract.md says which).
	sourceSeen
)

// documented reports whether a Flinks page gives the name.
func (s source) documented() bool { return s != sourceSeen }

// The packages, each a realistic subset of its table.
var (
	// incomeNames follow the Income package's list (docs.flinks.com/docs/getincomeattributes-1): employer name,
	// average, trend, sums and counts per calendar month; non-employer and government income; totals; account age;
	// free cash flow.
	incomeNames = []string{"employer_name", "average_monthly_employer_income_complex", "employer_income_trend_simple",
		"sum_employer_income_current_month", "sum_employer_income_previous_month", "sum_employer_income_2_months_ago",
		"count_employer_income_current_month", "count_employer_income_previous_month",
		"average_monthly_non_employer_income_complex", "average_monthly_government_income_complex",
		"sum_government_income_current_month", "count_government_income_current_month", "sum_government_income_90_days",
		"sum_employment_insurance_income_90_days", "sum_total_income_current_month", "sum_total_credits_current_month",
		"sum_total_credits_previous_month", "account_age_days", "average_monthly_free_cash_flow"}
	// riskNames follow the Credit Risk package's list (docs.flinks.io/docs/list-of-attributes-packages): account
	// overview, employer and non-employer income, loan and bill payments, NSF and stop payments, activity.
	riskNames = []string{"balance_min", "count_days_negative_balance_90_days", "average_monthly_free_cash_flow",
		"balance_trend_simple", "employer_name", "average_monthly_employer_income_complex", "employer_income_trend_simple",
		"sum_employer_income_current_month", "count_employer_income_current_month",
		"average_monthly_non_employer_income_complex", "average_monthly_government_income_complex",
		"total_deposits_trend_simple", "average_monthly_loan_payments_complex", "average_monthly_mortgage_payments_complex",
		"average_monthly_utility_payments_complex", "average_monthly_telecom_payments_complex", "count_nsf_90_days",
		"count_stop_payment_90_days", "micro_lender_name", "average_monthly_debit", "count_active_days",
		"has_employer_income", "sum_employer_income", "sum_loan_payments", "count_reversed_payments_because_of_nsf"}
	// lendingExtra: the Lending package is Income and Credit Risk in more depth (docs.flinks.com/docs/lending-attributes).
	lendingExtra = []string{"balance_current", "balance_90_days_ago", "count_nsf_30_days", "average_monthly_nsf_fees_count",
		"average_employer_income_deposit", "average_closing_balance_day_of_employer_income",
		"sum_non_employer_income_current_month", "sum_loan_payments_current_month", "count_loan_payments_current_month",
		"sum_loan_deposits_90_days", "count_distinct_micro_lenders", "sum_micro_loan_payments_current_month"}
	// bizNames are the _biz attributes of the GetUserAnalysisAttributes page and table: operating income, payroll
	// deposits, auto loan payments and deposits. The Business Analysis page lists these sections (operating income,
	// loan deposits, liabilities and loan payments), so its package answers them too.
	bizNames = []string{"average_monthly_operating_income_biz", "sum_operating_income_365_days_biz",
		"average_monthly_payroll_deposits_biz", "sum_payroll_deposits_365_days_biz", "auto_loan_payments_frequency_biz",
		"auto_loan_payments_trend_biz", "average_monthly_auto_loan_payments_biz", "sum_auto_loan_payments_365_days_biz",
		"count_auto_loan_payments_10_months_ago_biz", "auto_loan_deposits_frequency_biz", "auto_loan_deposits_trend_biz",
		"auto_loan_deposits_trend_simple_biz", "average_auto_loan_deposits_deposit_biz",
		"average_monthly_auto_loan_deposits_biz", "last_2_deposit_dates_auto_loan_deposits_biz",
		"count_auto_loan_deposits_current_month_biz", "sum_auto_loan_deposits_current_month_biz",
		"count_auto_loan_deposits_previous_month_biz", "sum_auto_loan_deposits_previous_month_biz"}
	// reversalNames: the changelog of October 2026 puts them in GetAllAttributes.
	reversalNames = []string{"count_reversed_payments_current_month_nsf", "count_reversed_payments_previous_month_nsf",
		"nbr_reversed_payments_nsf", "sum_reversed_payments_30_days_nsf", "sum_reversed_payments_60_days_nsf",
		"sum_reversed_payments_90_days_nsf", "sum_reversed_payments_nsf"}
)

func init() {
	lending := concat(incomeNames, riskNames, lendingExtra)
	// User Analysis "combines the Income and Credit Risk packages" (guides/enrich/attributes-packages), with the _biz
	// rows of its own page and table.
	user := concat(incomeNames, riskNames, bizNames)
	// GetAllAttributes is every consumer attribute; the business ones have their own endpoints.
	all := concat(lending, user, reversalNames)
	slices.Sort(all)
	for _, p := range []attributePackage{
		{name: "GetIncomeAttributes", names: incomeNames, details: detailAttributeDetails},
		{name: "GetLendingAttributes", names: lending},
		{name: "GetCreditRiskAttributes", names: riskNames, details: detailAttributesDetails},
		{name: "GetUserAnalysisAttributes", names: user, details: detailInCard},
		{name: "GetBusinessAnalysisAttributes", names: bizNames, library: "business"},
		{name: "GetAllAttributes", names: all, details: detailAttributesDetails},
		{name: "GetAllBusinessAttributes", names: bizNames, library: "business"},
	} {
		p.names = concat(p.names)
		if p.library == "" {
			p.library = "consumer"
		}
		attributeSets[strings.ToLower(p.name)] = &p
		for _, a := range p.names {
			if d, ok := attributeDefs[a]; !ok || d.source == 0 {
				panic("simulator: attribute " + a + " has no definition or no source")
			}
		}
	}
}

// AttributeDocumented maps each attribute name to whether a Flinks page gives it (false: seen in a real Flinks
// answer only; docs/flinks-contract.md says where).
func AttributeDocumented() map[string]bool {
	out := make(map[string]bool, len(attributeDefs))
	for k, d := range attributeDefs {
		out[k] = d.source.documented()
	}
	return out
}

// trendOf compares the matching transactions of the newer half of the window with the older half: "INCREASING" or
// "DECREASING" past a fifth of a change, else "CONSISTENT" (the values a real answer shows), NONE_DETECTED with none.
func trendOf(keep func(analysedTx) bool) func(*analysis) any {
	return func(an *analysis) any {
		var newer, older int64
		for _, t := range an.txs {
			if !keep(t) {
				continue
			}
			if an.within(t, an.days/2) {
				newer += abs(t.amount)
			} else {
				older += abs(t.amount)
			}
		}
		return trendWord(float64(older), float64(newer), newer+older == 0)
	}
}

func trendWord(before, after float64, nothing bool) any {
	switch {
	case nothing:
		return nil
	case after > before*1.2:
		return "INCREASING"
	case after < before*0.8:
		return "DECREASING"
	}
	return "CONSISTENT"
}

// negativeDays counts the days that ended below zero among the last n.
func negativeDays(n int) func(*analysis) any {
	return func(an *analysis) any {
		count := 0
		for d, b := range an.daily {
			if d < n && b < 0 {
				count++
			}
		}
		return count
	}
}

// payrollDayBalance is the average end-of-day balance on the days pay came in.
func payrollDayBalance(an *analysis) any {
	var sum int64
	n := 0
	for _, t := range an.txs {
		if kindOf(t.transaction) != kindPayroll {
			continue
		}
		if d := int(an.asOf.Sub(mustDate(t.date)).Hours() / 24); d >= 0 && d < len(an.daily) {
			sum += an.daily[d]
			n++
		}
	}
	if n == 0 {
		return 0.0
	}
	return math.Round(float64(sum)/float64(n)) / 100
}

var (
	isPayroll = isKind(kindPayroll)
	isGov     = isKind(kindGovernment)
	isNSF     = isKind(kindNSF)
	isLoan    = isKind(kindMortgage) // the demo's only loan is a mortgage
	isDebit   = func(t analysedTx) bool { return t.amount < 0 }
)

var attributeDefs = map[string]attributeDef{
	// Income, seen in a real answer.
	"employer_name": {meaning: "Employer named on the payroll deposits", kind: "string", source: sourceSeen,
		value: func(an *analysis) any {
			for _, t := range an.txs {
				if kindOf(t.transaction) == kindPayroll {
					return t.description
				}
			}
			return nil
		}, match: plain(isPayroll)},
	"average_monthly_employer_income_complex": {meaning: "Payroll deposits per month, averaged over the period",
		kind: "number", source: sourceSeen, value: monthlyOf(isPayroll), match: plain(isPayroll)},
	"employer_income_trend_simple": {meaning: "Whether pay grew, fell or held steady over the period", kind: "string",
		source: sourceSeen, value: trendOf(isPayroll)},
	"sum_employer_income_current_month": {meaning: "Payroll deposits this calendar month", kind: "number",
		source: sourceSeen, value: sumMatching(inMonthOf(0, isPayroll)), match: inMonthOf(0, isPayroll)},
	"sum_employer_income_previous_month": {meaning: "Payroll deposits last calendar month", kind: "number",
		source: sourceSeen, value: sumMatching(inMonthOf(1, isPayroll)), match: inMonthOf(1, isPayroll)},
	"sum_employer_income_2_months_ago": {meaning: "Payroll deposits two calendar months ago", kind: "number",
		source: sourceSeen, value: sumMatching(inMonthOf(2, isPayroll)), match: inMonthOf(2, isPayroll)},
	"count_employer_income_current_month": {meaning: "Number of payroll deposits this calendar month", kind: "integer",
		source: sourceSeen, value: countMatching(inMonthOf(0, isPayroll)), match: inMonthOf(0, isPayroll)},
	"count_employer_income_previous_month": {meaning: "Number of payroll deposits last calendar month",
		kind: "integer", source: sourceSeen, value: countMatching(inMonthOf(1, isPayroll)), match: inMonthOf(1, isPayroll)},
	"average_monthly_non_employer_income_complex": {meaning: "Other money received per month (e-Transfers, refunds, " +
		"interest), without pay, government payments and transfers between the holder's accounts", kind: "number",
		source: sourceSeen, value: monthlyOf(nonEmployerIncome), match: plain(nonEmployerIncome)},
	"average_monthly_government_income_complex": {meaning: "Government payments per month (benefits, tax credits)",
		kind: "number", source: sourceSeen, value: monthlyOf(isGov), match: plain(isGov)},
	"sum_government_income_current_month": {meaning: "Government payments this calendar month", kind: "number",
		source: sourceSeen, value: sumMatching(inMonthOf(0, isGov)), match: inMonthOf(0, isGov)},
	"count_government_income_current_month": {meaning: "Number of government payments this calendar month",
		kind: "integer", source: sourceSeen, value: countMatching(inMonthOf(0, isGov)), match: inMonthOf(0, isGov)},
	"sum_government_income_90_days": {meaning: "Government payments in the last 90 days", kind: "number",
		source: sourceSeen, value: sumMatching(withinOf(90, isGov)), match: withinOf(90, isGov)},
	"sum_employment_insurance_income_90_days": {meaning: "Employment Insurance payments in the last 90 days",
		kind: "number", source: sourceSeen, value: zeroFloat},
	"sum_total_income_current_month": {meaning: "All money received this calendar month, without transfers " +
		"between the holder's accounts", kind: "number", source: sourceSeen, value: sumMatching(inMonthOf(0, income)),
		match: inMonthOf(0, income)},
	"sum_total_credits_current_month": {meaning: "Every credit this calendar month, transfers included",
		kind: "number", source: sourceSeen, value: sumMatching(inMonthOf(0, isCredit)), match: inMonthOf(0, isCredit)},
	"sum_total_credits_previous_month": {meaning: "Every credit last calendar month, transfers included",
		kind: "number", source: sourceSeen, value: sumMatching(inMonthOf(1, isCredit)), match: inMonthOf(1, isCredit)},
	"account_age_days": {meaning: "Days since the oldest transaction of the accounts", kind: "integer",
		source: sourceSeen, value: func(an *analysis) any {
			if an.oldest == "" {
				return 0
			}
			return int(an.asOf.Sub(mustDate(an.oldest)).Hours() / 24)
		}},
	"average_monthly_free_cash_flow": {meaning: "Money received minus money spent, per month, without transfers " +
		"between the holder's accounts", kind: "number", source: sourceSeen, value: func(an *analysis) any {
		in, _ := an.sum(income)
		out, _ := an.sum(expense)
		return math.Round(float64(in+out)/an.months()) / 100
	}},

	// Credit Risk, seen in a real answer (the last one named in the changelog of April 2026).
	"balance_min": {meaning: "Lowest end-of-day total balance over the period", kind: "number", source: sourceSeen,
		value: func(an *analysis) any {
			if len(an.daily) == 0 {
				return 0.0
			}
			return dollars(slices.Min(an.daily))
		}},
	"count_days_negative_balance_90_days": {meaning: "Days in the last 90 that ended with a negative total balance",
		kind: "integer", source: sourceSeen, value: negativeDays(90)},
	"balance_trend_simple": {meaning: "Whether the total balance grew, fell or held steady over the period",
		kind: "string", source: sourceSeen, value: func(an *analysis) any {
			if len(an.daily) == 0 {
				return nil
			}
			return trendWord(float64(an.daily[len(an.daily)-1]), float64(an.daily[0]), false)
		}},
	"total_deposits_trend_simple": {meaning: "Whether money received grew, fell or held steady over the period",
		kind: "string", source: sourceSeen, value: trendOf(income)},
	"average_monthly_loan_payments_complex": {meaning: "Loan payments per month, mortgage included", kind: "number",
		source: sourceSeen, value: monthlyOf(isLoan), match: plain(isLoan)},
	"average_monthly_mortgage_payments_complex": {meaning: "Mortgage payments per month", kind: "number",
		source: sourceSeen, value: monthlyOf(isLoan), match: plain(isLoan)},
	"average_monthly_utility_payments_complex": {meaning: "Utility bills (hydro, gas) paid per month", kind: "number",
		source: sourceSeen, value: monthlyOf(isKind(kindUtility)), match: plain(isKind(kindUtility))},
	"average_monthly_telecom_payments_complex": {meaning: "Phone, cable and internet bills paid per month",
		kind: "number", source: sourceSeen, value: monthlyOf(isKind(kindTelecom)), match: plain(isKind(kindTelecom))},
	"count_nsf_90_days": {meaning: "NSF items (debits returned for non-sufficient funds) in the last 90 days",
		kind: "integer", source: sourceSeen, value: countMatching(withinOf(90, isNSF)), match: withinOf(90, isNSF)},
	"count_stop_payment_90_days": {meaning: "Stop payments in the last 90 days", kind: "integer", source: sourceSeen,
		value: zeroInt},
	"micro_lender_name": {meaning: "Micro-lender the holder pays, if any", kind: "string", source: sourceSeen,
		value: none},
	"average_monthly_debit": {meaning: "Money spent per month, every debit included", kind: "number",
		source: sourceSeen, value: monthlyOf(isDebit)},
	"count_active_days": {meaning: "Days with at least one transaction", kind: "integer", source: sourceSeen,
		value: func(an *analysis) any {
			days := map[string]bool{}
			for _, t := range an.txs {
				days[t.date] = true
			}
			return len(days)
		}},
	"has_employer_income": {meaning: "YES when pay deposits were found, else NO", kind: "string", source: sourceSeen,
		value: func(an *analysis) any {
			if _, n := an.sum(isPayroll); n > 0 {
				return "YES"
			}
			return "NO"
		}},
	"sum_employer_income": {meaning: "Total of the payroll deposits over the period", kind: "number",
		source: sourceSeen, value: sumOf(isPayroll), match: plain(isPayroll)},
	"sum_loan_payments": {meaning: "Total of the loan payments over the period", kind: "number", source: sourceSeen,
		value: sumOf(isLoan), match: plain(isLoan)},
	"count_reversed_payments_because_of_nsf": {meaning: "Payments the bank returned unpaid (NSF) over the period",
		kind: "integer", source: sourceChangelog, value: countOf(reversedNSF), match: plain(reversedNSF)},

	// Lending, seen in published client code that reads Flinks attributes.
	"balance_current": {meaning: "Total current balance of the accounts", kind: "number", source: sourceSeen,
		value: func(an *analysis) any {
			var s int64
			for _, a := range an.accounts {
				s += a.current
			}
			return dollars(s)
		}},
	"balance_90_days_ago": {meaning: "End-of-day total balance 90 days ago (the oldest day of a shorter period)",
		kind: "number", source: sourceSeen, value: func(an *analysis) any {
			if len(an.daily) == 0 {
				return 0.0
			}
			return dollars(an.daily[min(89, len(an.daily)-1)])
		}},
	"count_nsf_30_days": {meaning: "NSF items in the last 30 days", kind: "integer", source: sourceSeen,
		value: countMatching(withinOf(30, isNSF)), match: withinOf(30, isNSF)},
	"average_monthly_nsf_fees_count": {meaning: "NSF items per month, averaged over the period", kind: "number",
		source: sourceSeen, value: func(an *analysis) any {
			_, n := an.sum(isNSF)
			if an.days == 0 {
				return 0.0
			}
			return math.Round(float64(n)/an.months()*100) / 100
		}},
	"average_employer_income_deposit": {meaning: "Average payroll deposit", kind: "number", source: sourceSeen,
		value: func(an *analysis) any {
			s, n := an.sum(isPayroll)
			if n == 0 {
				return 0.0
			}
			return math.Round(float64(s)/float64(n)) / 100
		}, match: plain(isPayroll)},
	"average_closing_balance_day_of_employer_income": {meaning: "Average end-of-day total balance on pay days",
		kind: "number", source: sourceSeen, value: payrollDayBalance},
	"sum_non_employer_income_current_month": {meaning: "Other money received this calendar month", kind: "number",
		source: sourceSeen, value: sumMatching(inMonthOf(0, nonEmployerIncome)), match: inMonthOf(0, nonEmployerIncome)},
	"sum_loan_payments_current_month": {meaning: "Loan payments this calendar month", kind: "number",
		source: sourceSeen, value: sumMatching(inMonthOf(0, isLoan)), match: inMonthOf(0, isLoan)},
	"count_loan_payments_current_month": {meaning: "Number of loan payments this calendar month", kind: "integer",
		source: sourceSeen, value: countMatching(inMonthOf(0, isLoan)), match: inMonthOf(0, isLoan)},
	"sum_loan_deposits_90_days": {meaning: "Loans deposited to the accounts in the last 90 days", kind: "number",
		source: sourceSeen, value: zeroFloat},
	"count_distinct_micro_lenders": {meaning: "Number of micro-lenders the holder pays", kind: "integer",
		source: sourceSeen, value: zeroInt},
	"sum_micro_loan_payments_current_month": {meaning: "Micro-loan payments this calendar month", kind: "number",
		source: sourceSeen, value: zeroFloat},

	// The sample answer of the GetUserAnalysisAttributes page, typed as its values are; the demo's logins have no
	// auto loans, so those answer 0 and NONE_DETECTED as Flinks does.
	"average_monthly_operating_income_biz": {meaning: "Money received per month, without transfers between the " +
		"holder's accounts", kind: "number", source: sourceUserAnalysisPage, value: monthlyOf(income),
		match: plain(income)},
	"sum_operating_income_365_days_biz": {meaning: "Money received in the last 365 days", kind: "number",
		source: sourceUserAnalysisPage, value: sumMatching(withinOf(365, income)), match: withinOf(365, income)},
	"average_monthly_payroll_deposits_biz": {meaning: "Payroll deposits per month", kind: "number",
		source: sourceUserAnalysisPage, value: monthlyOf(isPayroll), match: plain(isPayroll)},
	"sum_payroll_deposits_365_days_biz": {meaning: "Payroll deposits in the last 365 days", kind: "number",
		source: sourceUserAnalysisPage, value: sumMatching(withinOf(365, isPayroll)), match: withinOf(365, isPayroll)},
	"auto_loan_payments_frequency_biz": {meaning: "How often an auto loan is paid", kind: "string",
		source: sourceUserAnalysisPage, value: none},
	"auto_loan_payments_trend_biz": {meaning: "Trend of the auto loan payments", kind: "number",
		source: sourceUserAnalysisPage, value: zeroFloat},
	"average_monthly_auto_loan_payments_biz": {meaning: "Auto loan payments per month", kind: "number",
		source: sourceUserAnalysisPage, value: zeroFloat},
	"sum_auto_loan_payments_365_days_biz": {meaning: "Auto loan payments in the last 365 days", kind: "number",
		source: sourceUserAnalysisPage, value: zeroFloat},
	"count_auto_loan_payments_10_months_ago_biz": {meaning: "Auto loan payments ten calendar months ago",
		kind: "integer", source: sourceUserAnalysisPage, value: zeroInt},
	"auto_loan_deposits_frequency_biz": {meaning: "How often auto loan money is deposited", kind: "string",
		source: sourceUserAnalysisPage, value: none},
	"auto_loan_deposits_trend_biz": {meaning: "Trend of the auto loan deposits", kind: "number",
		source: sourceUserAnalysisPage, value: zeroFloat},
	// Rows of the GetUserAnalysisAttributes table, typed as it types them.
	"auto_loan_deposits_trend_simple_biz": {meaning: "Trend of the auto loan deposits, in a word", kind: "string",
		source: sourceResponseParameters, value: none},
	"average_auto_loan_deposits_deposit_biz": {meaning: "Average auto loan deposit", kind: "integer",
		source: sourceResponseParameters, value: zeroInt},
	"average_monthly_auto_loan_deposits_biz": {meaning: "Auto loan deposits per month", kind: "number",
		source: sourceResponseParameters, value: zeroFloat},
	"last_2_deposit_dates_auto_loan_deposits_biz": {meaning: "Dates of the last two auto loan deposits",
		kind: "string", source: sourceResponseParameters, value: none},
	"count_auto_loan_deposits_current_month_biz": {meaning: "Auto loan deposits this month", kind: "integer",
		source: sourceResponseParameters, value: zeroInt},
	"sum_auto_loan_deposits_current_month_biz": {meaning: "Total of the auto loan deposits this month",
		kind: "integer", source: sourceResponseParameters, value: zeroInt},
	"count_auto_loan_deposits_previous_month_biz": {meaning: "Auto loan deposits last month", kind: "integer",
		source: sourceResponseParameters, value: zeroInt},
	"sum_auto_loan_deposits_previous_month_biz": {meaning: "Total of the auto loan deposits last month",
		kind: "integer", source: sourceResponseParameters, value: zeroInt},

	// The NSF reversal attributes of the October 2026 changelog; counts typed integer, sums number (the changelog
	// gives no types).
	"count_reversed_payments_current_month_nsf": {meaning: "Payments returned unpaid (NSF) this month",
		kind: "integer", source: sourceChangelog, value: countMatching(inMonthOf(0, reversedNSF)),
		match: inMonthOf(0, reversedNSF)},
	"count_reversed_payments_previous_month_nsf": {meaning: "Payments returned unpaid (NSF) last month",
		kind: "integer", source: sourceChangelog, value: countMatching(inMonthOf(1, reversedNSF)),
		match: inMonthOf(1, reversedNSF)},
	"nbr_reversed_payments_nsf": {meaning: "Payments returned unpaid (NSF) over the period", kind: "integer",
		source: sourceChangelog, value: countOf(reversedNSF), match: plain(reversedNSF)},
	"sum_reversed_payments_30_days_nsf": {meaning: "Total of the payments returned unpaid in the last 30 days",
		kind: "number", source: sourceChangelog, value: sumMatching(withinOf(30, reversedNSF)),
		match: withinOf(30, reversedNSF)},
	"sum_reversed_payments_60_days_nsf": {meaning: "Total of the payments returned unpaid in the last 60 days",
		kind: "number", source: sourceChangelog, value: sumMatching(withinOf(60, reversedNSF)),
		match: withinOf(60, reversedNSF)},
	"sum_reversed_payments_90_days_nsf": {meaning: "Total of the payments returned unpaid in the last 90 days",
		kind: "number", source: sourceChangelog, value: sumMatching(withinOf(90, reversedNSF)),
		match: withinOf(90, reversedNSF)},
	"sum_reversed_payments_nsf": {meaning: "Total of the payments returned unpaid over the period", kind: "number",
		source: sourceChangelog, value: sumOf(reversedNSF), match: plain(reversedNSF)},
}
