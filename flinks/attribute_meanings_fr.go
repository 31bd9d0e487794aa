package flinks

import "strings"

// The attributes' meanings in French, for the GUI in French (ui/insights.go): the names the offline demo computes
// (flinks/simulator/attributes.go) spelled out whole, and the other names word by word, as AttributeMeaning does in
// English but in French order: the operator first ("somme de", "nombre de"), then the noun, then what qualifies it.

var attributeMeaningsFR = map[string]string{
	"employer_name":                       "l’employeur dont les dépôts de paie ont été trouvés",
	"count_nsf":                           "combien de paiements ont été retournés pour provision insuffisante (NSF)",
	"sum_nsf_fees":                        "le total des frais NSF facturés par la banque",
	"days_with_negative_balance":          "combien de jours un compte a fini sous zéro",
	"account_age_days":                    "combien de jours d’historique montre le plus ancien compte",
	"balance_change":                      "de combien le solde a changé sur la période",
	"primary_account_number":              "le compte où va la plus grande partie de la paie (masqué)",
	"average_daily_balance":               "Solde quotidien moyen",
	"average_monthly_bill_payments":       "Moyenne mensuelle des paiements de factures",
	"average_monthly_business_revenue":    "Moyenne mensuelle des revenus d’entreprise",
	"average_monthly_employer_income":     "Moyenne mensuelle des revenus d’emploi",
	"average_monthly_free_cash_flow":      "Moyenne mensuelle des flux de trésorerie disponibles",
	"average_monthly_government_income":   "Moyenne mensuelle des revenus gouvernementaux",
	"average_monthly_housing_payments":    "Moyenne mensuelle des paiements de logement",
	"average_monthly_non_employer_income": "Moyenne mensuelle des revenus autres que d’emploi",
	"average_monthly_operating_expenses":  "Moyenne mensuelle des frais d’exploitation",
	"count_accounts":                      "Nombre de comptes",
	"count_employer_income":               "Nombre de dépôts de revenus d’emploi",
	"count_employer_income_month_1":       "Nombre de dépôts de revenus d’emploi, mois 1",
	"count_etransfers_in":                 "Nombre de virements Interac reçus",
	"count_etransfers_out":                "Nombre de virements Interac envoyés",
	"count_nsf_30_days":                   "Nombre d’éléments NSF (provision insuffisante) sur 30 jours",
	"count_nsf_90_days":                   "Nombre d’éléments NSF (provision insuffisante) sur 90 jours",
	"current_balance":                     "Solde actuel",
	"min_daily_balance":                   "Solde quotidien le plus bas",
	"sum_business_revenue":                "Total des revenus d’entreprise",
	"sum_employer_income":                 "Total des revenus d’emploi",
	"sum_employer_income_month_1":         "Total des revenus d’emploi, mois 1",
	"sum_employer_income_month_2":         "Total des revenus d’emploi, mois 2",
	"sum_employer_income_month_3":         "Total des revenus d’emploi, mois 3",
	"sum_fees":                            "Total des frais",
	"sum_government_income":               "Total des revenus gouvernementaux",
	"sum_operating_expenses":              "Total des frais d’exploitation",
	"sum_total_credits":                   "Total de tous les dépôts",
	"sum_total_income":                    "Total de tous les revenus",
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
		rest = append(rest, p)
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
