package flinks

import "strings"

// The attributes' meanings in French, for the GUI in French (ui/insights.go): the names the offline demo computes
// (flinks/simulator/attributes.go) spelled out whole, and the other names word by word, as AttributeMeaning does in
// English but in French order: the operator first ("somme de", "nombre de"), then the noun, then what qualifies it.

var attributeMeaningsFR = map[string]string{
	"employer_name":                               "l’employeur dont les dépôts de paie ont été trouvés",
	"count_nsf_90_days":                           "combien de paiements ont été retournés pour provision insuffisante (NSF) dans les 90 derniers jours",
	"count_reversed_payments_because_of_nsf":      "combien de paiements la banque a retournés impayés pour provision insuffisante (NSF)",
	"count_days_negative_balance_90_days":         "combien des 90 derniers jours un compte a fini sous zéro",
	"balance_min":                                 "le solde total le plus bas de la période",
	"balance_trend_simple":                        "si le solde a monté, baissé ou est resté stable sur la période",
	"has_employer_income":                         "si des dépôts de paie ont été trouvés (YES ou NO)",
	"account_age_days":                            "combien de jours d’historique montre le plus ancien compte",
	"average_monthly_employer_income_complex":     "Moyenne mensuelle des revenus d’emploi",
	"average_monthly_government_income_complex":   "Moyenne mensuelle des revenus gouvernementaux",
	"average_monthly_non_employer_income_complex": "Moyenne mensuelle des revenus autres que d’emploi",
	"average_monthly_free_cash_flow":              "Moyenne mensuelle des flux de trésorerie disponibles",
	"sum_employer_income":                         "Total des revenus d’emploi",
	"employer_income_trend_simple":                "Tendance des revenus d’emploi",
	"total_deposits_trend_simple":                 "Tendance de tous les dépôts",
	"balance_current":                             "Solde actuel",
}

// attributeOperatorsFR are the words that open a French meaning.
var attributeOperatorsFR = map[string]string{
	"sum": "total de", "count": "nombre de", "average": "moyenne de", "avg": "moyenne de", "min": "minimum de",
	"max": "maximum de",
}

var attributeWordsFR = map[string]string{
	"monthly": "mensuel", "daily": "quotidien", "nsf": "éléments NSF (provision insuffisante)",
	"employer": "d’emploi", "government": "gouvernemental", "non": "non", "income": "revenus", "total": "tous",
	"credits": "dépôts", "debits": "retraits", "free": "disponible", "cash": "trésorerie", "flow": "flux",
	"bill": "factures", "payments": "paiements", "housing": "logement", "loan": "prêt", "balance": "solde",
	"business": "entreprise", "revenue": "revenus", "operating": "d’exploitation", "expenses": "frais",
	"fees": "frais", "etransfers": "virements Interac", "in": "reçus", "out": "envoyés", "days": "jours",
	"accounts": "comptes", "current": "actuel", "month": "mois", "with": "avec", "negative": "négatif",
	"biz": "(entreprise)", "trend": "tendance", "previous": "précédent", "ago": "passé", "deposits": "dépôts",
	"deposit": "dépôt", "payroll": "de paie", "auto": "auto", "mortgage": "hypothécaires",
	"utility": "services publics", "telecom": "télécommunications", "active": "actifs", "stop": "opposition",
	"payment": "paiement", "micro": "micro", "lender": "prêteur", "name": "nom", "reversed": "retournés",
	"insurance": "assurance", "employment": "emploi", "debit": "débits", "distinct": "distincts",
	"lenders": "prêteurs", "closing": "de clôture", "day": "jour", "of": "de", "frequency": "fréquence",
	"last": "derniers", "dates": "dates", "because": "pour cause", "ten": "dix",
	"complex": "", "simple": "",
}

// AttributeMeaningIn is AttributeMeaning in a language: "fr" for French, English otherwise.
func AttributeMeaningIn(name, language string) string {
	if language != "fr" {
		return AttributeMeaning(name)
	}
	key := strings.ToLower(strings.TrimSpace(name))
	if m, ok := attributeMeaningsFR[key]; ok {
		return m
	}
	parts := strings.FieldsFunc(key, func(r rune) bool { return r == '_' || r == '-' || r == ' ' })
	var lead, rest []string
	for i, p := range parts {
		if op, ok := attributeOperatorsFR[p]; ok && i == len(lead) {
			lead = append(lead, op)
			continue
		}
		if w, ok := attributeWordsFR[p]; ok {
			p = w
		}
		if p != "" {
			rest = append(rest, p)
		}
	}
	// English puts the noun last, French first: "employer income" is "revenus d’emploi".
	for i, j := 0, len(rest)-1; i < j; i, j = i+1, j-1 {
		rest[i], rest[j] = rest[j], rest[i]
	}
	out := strings.Join(append(lead, rest...), " ")
	if out == "" {
		return ""
	}
	return strings.ToUpper(out[:1]) + out[1:]
}
