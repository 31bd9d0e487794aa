package simulator

import (
	"fmt"
	"hash/fnv"
	"iter"
	"math/rand/v2"
	"strings"
	"time"
)

// Generated data. Everything is derived from (Options.Seed, loginId), so the same login shows the same accounts and
// transactions on every call and every run, and nothing is stored: transactions are generated while they are
// written, which keeps 100,000 of them per account cheap in memory.

const historyDays = 365 // the whole history; Days90 is its most recent part

// txClass sorts transactions for the summary's eligibility ratios.
type txClass int

const (
	classOther     txClass = iota
	classEFT               // payroll, pre-authorized debits, bill payments
	classETransfer         // Interac e-Transfer
	classCard              // point-of-sale purchases
)

// txTemplate is one kind of transaction an account sees.
type txTemplate struct {
	descriptions []string
	sticky       bool // one description per account: an employer, a landlord
	credit       bool
	min, max     int64 // amount range, in cents
	round        bool  // whole multiples of $5, as people send e-transfers
	weight       int
	class        txClass
}

func (t *txTemplate) amount(r *rand.Rand) int64 {
	a := t.min + r.Int64N(t.max-t.min+1)
	if t.round {
		a = max(500, a/500*500)
	}
	if t.credit {
		return a
	}
	return -a
}

var (
	groceries = txTemplate{descriptions: []string{"METRO #1042 MONTREAL", "IGA EXTRA #8211", "LOBLAWS #1133",
		"SOBEYS #623", "MAXI & CIE #8810", "PROVIGO LE MARCHE", "SAVE-ON-FOODS #2271", "NO FRILLS #3346"},
		min: 1200, max: 26000, weight: 14, class: classCard}
	dining = txTemplate{descriptions: []string{"TIM HORTONS #2231", "STARBUCKS #4567", "A&W #1190",
		"UBER CANADA/UBEREATS", "SKIPTHEDISHES", "RESTAURANT LA BANQUISE", "PIZZA PIZZA #112"},
		min: 300, max: 8500, weight: 12, class: classCard}
	shopping = txTemplate{descriptions: []string{"AMAZON.CA", "CANADIAN TIRE #0452", "SHOPPERS DRUG MART #1215",
		"PHARMAPRIX #0097", "DOLLARAMA #1167", "COSTCO WHOLESALE #503", "SAQ #23004", "LCBO #0217", "IKEA BOUCHERVILLE"},
		min: 1500, max: 32000, weight: 6, class: classCard}
	transport = txTemplate{descriptions: []string{"STM OPUS", "PRESTO FARE", "PETRO-CANADA #4432", "SHELL C03511",
		"ESSO 7-ELEVEN", "COMMUNAUTO", "UBER CANADA/UBERTRIP"}, min: 300, max: 9500, weight: 4, class: classCard}
	subscriptions = txTemplate{descriptions: []string{"NETFLIX.COM", "SPOTIFY P1A2B3C4D5", "DISNEY PLUS",
		"APPLE.COM/BILL", "CRAVE"}, min: 500, max: 2500, weight: 2, class: classCard}
)

var chequingTemplates = []txTemplate{
	{descriptions: []string{"PAYROLL DEPOSIT ACME LOGISTICS", "PAIE / PAY - BOREAL SOFTWARE INC",
		"DIRECT DEPOSIT MAPLE LEAF FOODS", "PAYROLL DEP CENTRE HOSPITALIER"},
		sticky: true, credit: true, min: 180000, max: 320000, weight: 4, class: classEFT},
	{descriptions: []string{"INTERAC E-TRANSFER FROM J. TREMBLAY", "E-TRANSFER RECEIVED - M. NGUYEN",
		"INTERAC E-TRANSFER FROM S. PATEL", "VIREMENT INTERAC DE E. LAVOIE"},
		credit: true, min: 2000, max: 50000, round: true, weight: 4, class: classETransfer},
	{descriptions: []string{"CANADA GST/HST CREDIT", "CANADA CHILD BENEFIT", "CRA TAX REFUND"},
		credit: true, min: 5000, max: 60000, weight: 1, class: classEFT},
	groceries, dining, shopping, transport, subscriptions,
	{descriptions: []string{"HYDRO-QUEBEC", "TORONTO HYDRO", "BC HYDRO", "BELL CANADA", "VIDEOTRON", "ROGERS",
		"ENBRIDGE GAS"}, min: 4500, max: 21000, weight: 3, class: classEFT},
	{descriptions: []string{"RENT PAYMENT - GESTION IMMOBILIERE", "MORTGAGE PMT", "LOYER - PLACEMENTS LAURIER"},
		sticky: true, min: 110000, max: 240000, weight: 1, class: classEFT},
	{descriptions: []string{"INTERAC E-TRANSFER TO L. GAGNON", "E-TRANSFER SENT - A. ROY",
		"INTERAC E-TRANSFER TO C. BOUCHARD", "VIREMENT INTERAC A P. MORIN"},
		min: 2000, max: 40000, round: true, weight: 4, class: classETransfer},
	{descriptions: []string{"ATM WITHDRAWAL - RUE ST-DENIS", "ABM WITHDRAWAL", "GUICHET AUTOMATIQUE"},
		min: 2000, max: 20000, round: true, weight: 2},
	// The second fee is the charge for a pre-authorized debit the bank returned unpaid; the attributes count NSF
	// items from it (attributes.go). It replaced "SERVICE CHARGE" one for one, so the generated data kept its shape.
	{descriptions: []string{"MONTHLY ACCOUNT FEE", nsfDescription}, min: 400, max: 1600, weight: 1},
}

var savingsTemplates = []txTemplate{
	{descriptions: []string{"TRANSFER FROM CHEQUING"}, credit: true, min: 5000, max: 100000, round: true, weight: 4},
	{descriptions: []string{"INTEREST PAID"}, credit: true, min: 5, max: 2500, weight: 2},
	{descriptions: []string{"TRANSFER TO CHEQUING"}, min: 5000, max: 150000, round: true, weight: 2},
}

var tfsaTemplates = []txTemplate{
	{descriptions: []string{"TFSA CONTRIBUTION"}, credit: true, min: 10000, max: 200000, round: true, weight: 3},
	{descriptions: []string{"INTEREST PAID", "DIVIDEND - XEQT", "DIVIDEND - VFV"}, credit: true, min: 50, max: 6000, weight: 3},
	{descriptions: []string{"TFSA WITHDRAWAL"}, min: 20000, max: 300000, round: true, weight: 1},
}

var rrspTemplates = []txTemplate{
	{descriptions: []string{"RRSP CONTRIBUTION - PAYROLL", "RRSP CONTRIBUTION"}, credit: true, min: 10000, max: 150000,
		weight: 3, class: classEFT},
	{descriptions: []string{"DIVIDEND REINVESTED", "INTEREST PAID"}, credit: true, min: 100, max: 9000, weight: 2},
	{descriptions: []string{"MANAGEMENT FEE"}, min: 500, max: 4000, weight: 2},
}

var creditCardTemplates = []txTemplate{
	groceries, dining, shopping, transport, subscriptions,
	{descriptions: []string{"PAYMENT - THANK YOU / PAIEMENT - MERCI"}, credit: true, min: 10000, max: 250000, weight: 3,
		class: classEFT},
	{descriptions: []string{"REFUND AMAZON.CA", "RETURN CANADIAN TIRE #0452"}, credit: true, min: 1000, max: 15000, weight: 1},
}

var usdTemplates = []txTemplate{
	{descriptions: []string{"TRANSFER FROM CAD ACCOUNT", "WIRE IN - UPWORK GLOBAL"}, credit: true, min: 20000,
		max: 300000, weight: 2, class: classEFT},
	{descriptions: []string{"AMAZON.COM", "PAYPAL *STEAM GAMES", "UBER TRIP USD", "EXPEDIA.COM", "AIRBNB"},
		min: 1000, max: 60000, weight: 6, class: classCard},
	{descriptions: []string{"USD ACCOUNT FEE"}, min: 200, max: 500, weight: 1},
}

// accountKind is a type of account and the range its balance stays in. Balances follow one rule for every kind,
// credit cards included: a transaction's Balance is the previous one plus Credit minus Debit, so a card that is
// owed money has a negative balance.
type accountKind struct {
	typ, category, title, currency string
	low, high                      int64 // the band the balance wanders in, in cents
	overdraft, limit               int64
	templates                      []txTemplate
	all, credits, debits           []int // template indexes, each repeated by its weight, for weighted draws
}

func (k *accountKind) index() *accountKind {
	for i, t := range k.templates {
		for range t.weight {
			k.all = append(k.all, i)
			if t.credit {
				k.credits = append(k.credits, i)
			} else {
				k.debits = append(k.debits, i)
			}
		}
	}
	return k
}

// next chooses the transaction that led to balance: a template and a signed amount. History is generated
// backwards from today's balance, so the balance before this transaction is balance minus its amount. When that
// would leave the kind's band, the transaction is drawn again from the side that moves back towards it (a debit
// when the earlier balance would be too low); every band is wider than any two amounts, so balances stay in it
// over any number of transactions: a chequing account never goes below zero, a credit card never above it.
func (k *accountKind) next(r *rand.Rand, balance int64) (int, int64) {
	ti := k.all[r.IntN(len(k.all))]
	amount := k.templates[ti].amount(r)
	switch earlier := balance - amount; {
	case earlier < k.low:
		ti = k.debits[r.IntN(len(k.debits))]
	case earlier > k.high:
		ti = k.credits[r.IntN(len(k.credits))]
	default:
		return ti, amount
	}
	return ti, k.templates[ti].amount(r)
}

var (
	chequing = (&accountKind{typ: "Chequing", category: "Operations", title: "Chequing", currency: "CAD",
		low: 30000, high: 900000, overdraft: 50000, templates: chequingTemplates}).index()
	savings = (&accountKind{typ: "Savings", category: "Operations", title: "High Interest Savings", currency: "CAD",
		low: 100000, high: 4000000, templates: savingsTemplates}).index()
	tfsa = (&accountKind{typ: "TFSA", category: "Investments", title: "TFSA Savings", currency: "CAD",
		low: 200000, high: 6000000, templates: tfsaTemplates}).index()
	rrsp = (&accountKind{typ: "RRSP", category: "Investments", title: "RRSP", currency: "CAD",
		low: 500000, high: 12000000, templates: rrspTemplates}).index()
	creditCard = (&accountKind{typ: "CreditCard", category: "Credits", title: "Visa Infinite", currency: "CAD",
		low: -450000, high: -2000, limit: 500000, templates: creditCardTemplates}).index()
	usdChequing = (&accountKind{typ: "Chequing", category: "Operations", title: "US Dollar Chequing", currency: "USD",
		low: 10000, high: 500000, templates: usdTemplates}).index()

	optionalKinds = []*accountKind{savings, tfsa, rrsp, creditCard, usdChequing}
)

type holder struct {
	name, email, phone            string
	civic, city, province, postal string
}

type place struct{ street, city, province, postalPrefix, areaCode string }

var (
	firstNames = []string{"Émilie", "Jean", "Olivia", "Liam", "Chloé", "Noah", "Amira", "Mathis", "Sofia", "Wei"}
	lastNames  = []string{"Tremblay", "Gagnon", "Smith", "Roy", "Côté", "Bouchard", "Nguyen", "Patel", "MacDonald",
		"Lavoie"}
	places = []place{
		{"Rue Sainte-Catherine O", "Montreal", "QC", "H3B", "514"},
		{"Queen St W", "Toronto", "ON", "M5V", "416"},
		{"Robson St", "Vancouver", "BC", "V6B", "604"},
		{"Stephen Ave SW", "Calgary", "AB", "T2P", "403"},
		{"Rue Saint-Jean", "Quebec", "QC", "G1R", "418"},
		{"Spring Garden Rd", "Halifax", "NS", "B3J", "902"},
		{"Sparks St", "Ottawa", "ON", "K1P", "613"},
	}
	emailUnsafe = strings.NewReplacer(" ", "", "'", "")
)

// accountSpec is one generated account, without its transactions.
type accountSpec struct {
	id, number, transit string
	kind                *accountKind
	current             int64 // Balance.Current, in cents: the running balance after the newest transaction
	seed                uint64
}

type profile struct {
	holder   holder
	accounts []accountSpec
}

// generateProfile derives a login's holder and 3 to 5 accounts from the seed and the loginId.
func generateProfile(seed int64, loginID string) profile {
	h := fnv.New64a()
	h.Write([]byte(loginID))
	r := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))

	first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	p := places[r.IntN(len(places))]
	const letters = "ABCEGHJKLMNPRSTVXY" // the letters Canada Post uses
	var prof profile
	prof.holder = holder{
		name:     first + " " + last,
		email:    strings.ToLower(emailUnsafe.Replace(accentFolder.Replace(first+"."+last))) + "@example.com",
		phone:    fmt.Sprintf("(%s) 555-01%02d", p.areaCode, r.IntN(100)), // 555-01xx: reserved fictional numbers
		civic:    fmt.Sprintf("%d %s", 100+r.IntN(4900), p.street),
		city:     p.city,
		province: p.province,
		postal:   fmt.Sprintf("%s %d%c%d", p.postalPrefix, r.IntN(10), letters[r.IntN(len(letters))], r.IntN(10)),
	}

	kinds := []*accountKind{chequing}
	extra := append([]*accountKind(nil), optionalKinds...)
	r.Shuffle(len(extra), func(i, j int) { extra[i], extra[j] = extra[j], extra[i] })
	kinds = append(kinds, extra[:2+r.IntN(3)]...)
	transit := fmt.Sprintf("%05d", r.IntN(100000))
	for _, k := range kinds {
		prof.accounts = append(prof.accounts, accountSpec{
			id:      randomUUID(r),
			number:  fmt.Sprintf("%07d", 1_000_000+r.IntN(9_000_000)),
			transit: transit,
			kind:    k,
			current: k.low + r.Int64N(k.high-k.low+1),
			seed:    r.Uint64(),
		})
	}
	return prof
}

// transaction is one generated transaction. amount is signed: positive for a credit.
type transaction struct {
	id, date, description string
	amount, balance       int64 // cents; balance is the running balance after this transaction
	class                 txClass
}

// history yields the account's transactions, newest first, within the last days days before asOf. count
// transactions span the whole 365-day history, so Days90 yields the first part of what Days365 yields, with the
// same ids and balances. The newest balance is the account's current balance; each older one is derived from it.
func (a *accountSpec) history(asOf time.Time, count, days int) iter.Seq[transaction] {
	return func(yield func(transaction) bool) {
		r := rand.New(rand.NewPCG(a.seed, uint64(historyDays)))
		sticky := make([]string, len(a.kind.templates))
		for i, t := range a.kind.templates {
			sticky[i] = t.descriptions[r.IntN(len(t.descriptions))]
		}
		asOf = asOf.UTC()
		balance, day, dateDay, date := a.current, 0, -1, ""
		for i := range count {
			// Spread count transactions evenly over the history, jittered, never going forward in time.
			day = min(max(day, int((float64(i)+r.Float64())*historyDays/float64(count))), historyDays-1)
			if day >= days {
				return
			}
			if day != dateDay { // one date string per day, not per transaction
				date, dateDay = asOf.AddDate(0, 0, -day).Format(time.DateOnly), day
			}
			ti, amount := a.kind.next(r, balance)
			t := &a.kind.templates[ti]
			desc := sticky[ti]
			if !t.sticky {
				desc = t.descriptions[r.IntN(len(t.descriptions))]
			}
			tx := transaction{id: randomUUID(r), date: date, description: desc, amount: amount, balance: balance,
				class: t.class}
			if !yield(tx) {
				return
			}
			balance -= tx.amount
		}
	}
}
