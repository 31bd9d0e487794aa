package ui

import (
	"fyne.io/fyne/v2/lang"

	"flinks-onboard/onboard"
)

// attributeWording is the app's own wording of attribute names in the user's language, for a name Flinks'
// Attributes Library does not describe (onboard/descriptions.go): onboard's English, or French through the
// translations, each whole meaning and word by its id, the operator first and the noun before what qualifies it
// ("employer income" is "revenus d’emploi").
func attributeWording() onboard.AttributeWording {
	if languageCode() != "fr" {
		return onboard.EnglishAttributeWording
	}
	return onboard.AttributeWording{Whole: attributeMeaningText, Operator: attributeOperatorText, Word: attributeWordText,
		NounFirst: true}
}

// attributeMeaningText is the meaning of a whole attribute name the app spells out itself (the names the offline
// demo computes, flinks/simulator/attributes.go).
func attributeMeaningText(w string) (string, bool) {
	switch w {
	case "account_age_days":
		return lang.X("attribute.meaning.account_age_days", "how many days of history the oldest account shows"), true
	case "average_monthly_employer_income_complex":
		return lang.X("attribute.meaning.average_monthly_employer_income_complex", "Average monthly employer income"), true
	case "average_monthly_free_cash_flow":
		return lang.X("attribute.meaning.average_monthly_free_cash_flow", "Average monthly free cash flow"), true
	case "average_monthly_government_income_complex":
		return lang.X("attribute.meaning.average_monthly_government_income_complex", "Average monthly government income"), true
	case "average_monthly_non_employer_income_complex":
		return lang.X("attribute.meaning.average_monthly_non_employer_income_complex", "Average monthly non-employer income"), true
	case "balance_current":
		return lang.X("attribute.meaning.balance_current", "Balance current"), true
	case "balance_min":
		return lang.X("attribute.meaning.balance_min", "the lowest the total balance went over the period"), true
	case "balance_trend_simple":
		return lang.X("attribute.meaning.balance_trend_simple", "whether the balance grew, fell or held steady over the period"), true
	case "count_days_negative_balance_90_days":
		return lang.X("attribute.meaning.count_days_negative_balance_90_days", "how many of the last 90 days an account ended below zero"), true
	case "count_nsf_90_days":
		return lang.X("attribute.meaning.count_nsf_90_days", "how many payments were returned for non-sufficient funds (NSF) in the last 90 days"), true
	case "count_reversed_payments_because_of_nsf":
		return lang.X("attribute.meaning.count_reversed_payments_because_of_nsf", "how many payments the bank returned unpaid for non-sufficient funds (NSF)"), true
	case "employer_income_trend_simple":
		return lang.X("attribute.meaning.employer_income_trend_simple", "Employer income trend"), true
	case "employer_name":
		return lang.X("attribute.meaning.employer_name", "the employer whose pay deposits were found"), true
	case "has_employer_income":
		return lang.X("attribute.meaning.has_employer_income", "whether pay deposits were found (YES or NO)"), true
	case "sum_employer_income":
		return lang.X("attribute.meaning.sum_employer_income", "Total of employer income"), true
	case "total_deposits_trend_simple":
		return lang.X("attribute.meaning.total_deposits_trend_simple", "All deposits trend"), true
	}
	return "", false
}

// attributeOperatorText is a word that opens a meaning ("sum" → "total of").
func attributeOperatorText(w string) (string, bool) {
	switch w {
	case "average":
		return lang.X("attribute.operator.average", "average"), true
	case "avg":
		return lang.X("attribute.operator.avg", "average"), true
	case "count":
		return lang.X("attribute.operator.count", "number of"), true
	case "max":
		return lang.X("attribute.operator.max", "highest"), true
	case "min":
		return lang.X("attribute.operator.min", "lowest"), true
	case "sum":
		return lang.X("attribute.operator.sum", "total of"), true
	}
	return "", false
}

// attributeWordText is any other word of an attribute name.
func attributeWordText(w string) (string, bool) {
	switch w {
	case "accounts":
		return lang.X("attribute.word.accounts", "accounts"), true
	case "active":
		return lang.X("attribute.word.active", "active"), true
	case "ago":
		return lang.X("attribute.word.ago", "ago"), true
	case "auto":
		return lang.X("attribute.word.auto", "auto"), true
	case "balance":
		return lang.X("attribute.word.balance", "balance"), true
	case "because":
		return lang.X("attribute.word.because", "because"), true
	case "bill":
		return lang.X("attribute.word.bill", "bill"), true
	case "biz":
		return lang.X("attribute.word.biz", "(business)"), true
	case "business":
		return lang.X("attribute.word.business", "business"), true
	case "cash":
		return lang.X("attribute.word.cash", "cash"), true
	case "closing":
		return lang.X("attribute.word.closing", "closing"), true
	case "credits":
		return lang.X("attribute.word.credits", "deposits"), true
	case "current":
		return lang.X("attribute.word.current", "current"), true
	case "daily":
		return lang.X("attribute.word.daily", "daily"), true
	case "dates":
		return lang.X("attribute.word.dates", "dates"), true
	case "day":
		return lang.X("attribute.word.day", "day"), true
	case "days":
		return lang.X("attribute.word.days", "days"), true
	case "debit":
		return lang.X("attribute.word.debit", "debit"), true
	case "debits":
		return lang.X("attribute.word.debits", "withdrawals"), true
	case "deposit":
		return lang.X("attribute.word.deposit", "deposit"), true
	case "deposits":
		return lang.X("attribute.word.deposits", "deposits"), true
	case "distinct":
		return lang.X("attribute.word.distinct", "distinct"), true
	case "employer":
		return lang.X("attribute.word.employer", "employer"), true
	case "employment":
		return lang.X("attribute.word.employment", "employment"), true
	case "etransfers":
		return lang.X("attribute.word.etransfers", "Interac e-Transfers"), true
	case "expenses":
		return lang.X("attribute.word.expenses", "expenses"), true
	case "fees":
		return lang.X("attribute.word.fees", "fees"), true
	case "flow":
		return lang.X("attribute.word.flow", "flow"), true
	case "free":
		return lang.X("attribute.word.free", "free"), true
	case "frequency":
		return lang.X("attribute.word.frequency", "frequency"), true
	case "government":
		return lang.X("attribute.word.government", "government"), true
	case "housing":
		return lang.X("attribute.word.housing", "housing"), true
	case "in":
		return lang.X("attribute.word.in", "received"), true
	case "income":
		return lang.X("attribute.word.income", "income"), true
	case "insurance":
		return lang.X("attribute.word.insurance", "insurance"), true
	case "last":
		return lang.X("attribute.word.last", "last"), true
	case "lender":
		return lang.X("attribute.word.lender", "lender"), true
	case "lenders":
		return lang.X("attribute.word.lenders", "lenders"), true
	case "loan":
		return lang.X("attribute.word.loan", "loan"), true
	case "micro":
		return lang.X("attribute.word.micro", "micro"), true
	case "month":
		return lang.X("attribute.word.month", "month"), true
	case "monthly":
		return lang.X("attribute.word.monthly", "monthly"), true
	case "mortgage":
		return lang.X("attribute.word.mortgage", "mortgage"), true
	case "name":
		return lang.X("attribute.word.name", "name"), true
	case "negative":
		return lang.X("attribute.word.negative", "negative"), true
	case "non":
		return lang.X("attribute.word.non", "non-"), true
	case "nsf":
		return lang.X("attribute.word.nsf", "NSF (non-sufficient funds) items"), true
	case "of":
		return lang.X("attribute.word.of", "of"), true
	case "operating":
		return lang.X("attribute.word.operating", "operating"), true
	case "out":
		return lang.X("attribute.word.out", "sent"), true
	case "payment":
		return lang.X("attribute.word.payment", "payment"), true
	case "payments":
		return lang.X("attribute.word.payments", "payments"), true
	case "payroll":
		return lang.X("attribute.word.payroll", "payroll"), true
	case "previous":
		return lang.X("attribute.word.previous", "previous"), true
	case "revenue":
		return lang.X("attribute.word.revenue", "revenue"), true
	case "reversed":
		return lang.X("attribute.word.reversed", "reversed"), true
	case "stop":
		return lang.X("attribute.word.stop", "stop"), true
	case "telecom":
		return lang.X("attribute.word.telecom", "telecom"), true
	case "ten":
		return lang.X("attribute.word.ten", "ten"), true
	case "total":
		return lang.X("attribute.word.total", "all"), true
	case "trend":
		return lang.X("attribute.word.trend", "trend"), true
	case "utility":
		return lang.X("attribute.word.utility", "utility"), true
	case "with":
		return lang.X("attribute.word.with", "with"), true
	}
	return "", false
}
