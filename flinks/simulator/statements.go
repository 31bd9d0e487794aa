package simulator

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// GetStatements (https://docs.flinks.com/api/connect/endpoints/account-linking/get-statements): the bank's PDF
// statements of each account, Base64-encoded. The simulator writes them itself (pdf.go) from the same generated
// transactions GetAccountsDetail returns, one statement per complete calendar month.

func init() {
	registerEndpoint(endpoint{name: "GetStatements", methods: []string{http.MethodPost}, cred: apiKeyHeader,
		jsonBody: true, serve: (*Simulator).serveStatements})
}

// registerEndpoint adds a BankingServices endpoint to the route table of api.go, which answers 404, 405 (with
// Allow), 401 for a wrong key and 415 for a body that is not JSON before the endpoint runs.
func registerEndpoint(e endpoint) { endpoints[strings.ToLower(e.name)] = e }

type statementsRequest struct {
	RequestID          string   `json:"RequestId"`
	NumberOfStatements string   `json:"NumberOfStatements"`
	AccountsFilter     []string `json:"AccountsFilter"`
}

type wireStatement struct {
	UniqueID    string `json:"UniqueId"`
	FileType    string `json:"FileType"`
	Base64Bytes string `json:"Base64Bytes"`
}

type wireAccountStatements struct {
	AccountNumber string          `json:"AccountNumber"`
	Statements    []wireStatement `json:"Statements"`
}

type wireStatements struct {
	HTTPStatusCode      int                     `json:"HttpStatusCode"`
	StatementsByAccount []wireAccountStatements `json:"StatementsByAccount"`
	Login               wireLogin               `json:"Login"`
	Institution         string                  `json:"Institution"`
	RequestID           string                  `json:"RequestId"`
}

// statementMonths reads NumberOfStatements; the documented default is MostRecent.
func statementMonths(n string) (int, *apiError) {
	switch strings.ToLower(strings.TrimSpace(n)) {
	case "", "mostrecent":
		return 1, nil
	case "months3":
		return 3, nil
	case "months12":
		return 12, nil
	}
	return 0, errInvalidRequest("NumberOfStatements must be MostRecent, Months3 or Months12, not %q.", n)
}

func (s *Simulator) serveStatements(w http.ResponseWriter, r *http.Request) {
	var req statementsRequest
	if e := decodeJSON(r, &req); e != nil {
		s.writeError(w, e)
		return
	}
	months, e := statementMonths(req.NumberOfStatements)
	if e != nil {
		s.writeError(w, e)
		return
	}
	v, e := s.view(req.RequestID, dataCall{peek: true})
	if e != nil {
		// Flinks documents no Async endpoint for statements: while the data is being built the same call is
		// repeated, so the 202 carries no Links.
		if e.status == http.StatusAccepted {
			e.links = nil
			e.message += "; call GetStatements again with the same RequestId"
		}
		s.writeError(w, e)
		return
	}
	prof := generateProfile(s.opts.Seed, v.loginID)
	out := wireStatements{HTTPStatusCode: http.StatusOK, StatementsByAccount: []wireAccountStatements{},
		Login: v.login, Institution: institutionCode, RequestID: v.requestID}
	for i := range prof.accounts {
		a := &prof.accounts[i]
		// AccountsFilter holds account Ids, as in GetAccountsDetail; an account number is accepted too, since the
		// answer names accounts by number.
		if len(req.AccountsFilter) > 0 && !slices.Contains(req.AccountsFilter, a.id) &&
			!slices.Contains(req.AccountsFilter, a.number) {
			continue
		}
		byAccount := wireAccountStatements{AccountNumber: a.number, Statements: []wireStatement{}}
		for _, st := range accountStatements(a, prof.holder, v.loginID, v.asOf, s.opts.Transactions, months) {
			byAccount.Statements = append(byAccount.Statements, wireStatement{UniqueID: st.uniqueID, FileType: "PDF",
				Base64Bytes: base64.StdEncoding.EncodeToString(st.pdf())})
		}
		out.StatementsByAccount = append(out.StatementsByAccount, byAccount)
	}
	writeJSON(w, http.StatusOK, out)
}

// statement is one month of one account.
type statement struct {
	uniqueID         string
	account          *accountSpec
	holder           holder
	start, end       time.Time // the first day of the month and the first day of the next, UTC
	opening, closing int64
	transactions     []transaction // oldest first
}

// accountStatements returns the statements of the months complete calendar months before asOf's month, newest
// first, from the account's whole generated history.
func accountStatements(a *accountSpec, h holder, loginID string, asOf time.Time, count, months int) []statement {
	var history []transaction // newest first
	for t := range a.history(asOf, count, historyDays) {
		history = append(history, t)
	}
	asOf = asOf.UTC()
	thisMonth := time.Date(asOf.Year(), asOf.Month(), 1, 0, 0, 0, 0, time.UTC)
	var out []statement
	for m := 1; m <= months; m++ {
		st := statement{account: a, holder: h, start: thisMonth.AddDate(0, -m, 0), end: thisMonth.AddDate(0, -m+1, 0)}
		sum := sha1.Sum([]byte(loginID + "/" + a.id + "/" + st.start.Format("2006-01")))
		st.uniqueID = strings.ToUpper(hex.EncodeToString(sum[:16]))
		st.opening = balanceBefore(history, a.current, st.start.Format(time.DateOnly))
		st.closing = balanceBefore(history, a.current, st.end.Format(time.DateOnly))
		for i := len(history) - 1; i >= 0; i-- {
			if d := history[i].date; d >= st.start.Format(time.DateOnly) && d < st.end.Format(time.DateOnly) {
				st.transactions = append(st.transactions, history[i])
			}
		}
		out = append(out, st)
	}
	return out
}

// balanceBefore is the balance at the start of day (a YYYY-MM-DD date): the running balance after the newest
// transaction dated before it or, when the history does not go back that far, the balance before the oldest one.
func balanceBefore(newestFirst []transaction, current int64, day string) int64 {
	for _, t := range newestFirst {
		if t.date < day {
			return t.balance
		}
	}
	if n := len(newestFirst); n > 0 {
		oldest := newestFirst[n-1]
		return oldest.balance - oldest.amount
	}
	return current
}

// money formats cents as 1,234.56 (negative: -1,234.56).
func money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	whole := fmt.Sprint(cents / 100)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s%s.%02d", sign, b.String(), cents%100)
}

const statementRowsPerPage = 42

// pdf renders the statement: the bank and holder, the account, the period with its opening and closing balance
// and totals, then one row per transaction (date, description, debit, credit, balance).
func (st *statement) pdf() []byte {
	a := st.account
	last := st.end.AddDate(0, 0, -1)
	period := st.start.Format("January 2006")
	var debits, credits int64
	for _, t := range st.transactions {
		if t.amount < 0 {
			debits -= t.amount
		} else {
			credits += t.amount
		}
	}
	head := pdfPage{
		{x: 50, y: 740, size: 18, bold: true, text: institutionName},
		{x: 562, y: 740, size: 12, bold: true, right: true, text: "Account statement"},
		{x: 50, y: 712, size: 10, bold: true, text: st.holder.name},
		{x: 50, y: 698, size: 10, text: st.holder.civic},
		{x: 50, y: 684, size: 10, text: fmt.Sprintf("%s %s  %s", st.holder.city, st.holder.province, st.holder.postal)},
		{x: 330, y: 712, size: 10, text: fmt.Sprintf("%s (%s)", a.kind.title, a.kind.currency)},
		{x: 330, y: 698, size: 10, text: fmt.Sprintf("Account %s-%s-%s", a.transit, institutionNumber, a.number)},
		{x: 330, y: 684, size: 10, text: fmt.Sprintf("Period: %s to %s", st.start.Format(time.DateOnly), last.Format(time.DateOnly))},
		{x: 50, y: 652, size: 10, text: "Opening balance on " + st.start.Format(time.DateOnly)},
		{x: 300, y: 652, size: 10, right: true, text: money(st.opening)},
		{x: 50, y: 638, size: 10, text: "Total debits"},
		{x: 300, y: 638, size: 10, right: true, text: money(debits)},
		{x: 50, y: 624, size: 10, text: "Total credits"},
		{x: 300, y: 624, size: 10, right: true, text: money(credits)},
		{x: 50, y: 610, size: 10, bold: true, text: "Closing balance on " + last.Format(time.DateOnly)},
		{x: 300, y: 610, size: 10, bold: true, right: true, text: money(st.closing)},
	}
	columns := func(y float64) pdfPage {
		return pdfPage{
			{x: 50, y: y, size: 9, colour: true, bold: true, text: "Date"},
			{x: 115, y: y, size: 9, colour: true, bold: true, text: "Description"},
			{x: 400, y: y, size: 9, colour: true, bold: true, right: true, text: "Debit"},
			{x: 480, y: y, size: 9, colour: true, bold: true, right: true, text: "Credit"},
			{x: 562, y: y, size: 9, colour: true, bold: true, right: true, text: "Balance"},
		}
	}
	var pages []pdfPage
	page := append(head, columns(580)...)
	y := 564.0
	rows := 0
	for _, t := range st.transactions {
		if rows == statementRowsPerPage {
			pages = append(pages, page)
			page = append(pdfPage{{x: 50, y: 740, size: 10, bold: true,
				text: fmt.Sprintf("%s - %s - %s (continued)", institutionName, a.kind.title, period)}}, columns(716)...)
			y, rows = 700, 0
		}
		debit, credit := "", ""
		if t.amount < 0 {
			debit = money(-t.amount)
		} else {
			credit = money(t.amount)
		}
		page = append(page,
			pdfText{x: 50, y: y, size: 9, text: t.date},
			pdfText{x: 115, y: y, size: 9, text: t.description},
			pdfText{x: 400, y: y, size: 9, right: true, text: debit},
			pdfText{x: 480, y: y, size: 9, right: true, text: credit},
			pdfText{x: 562, y: y, size: 9, right: true, text: money(t.balance)},
		)
		y -= 13
		rows++
	}
	if len(st.transactions) == 0 {
		page = append(page, pdfText{x: 50, y: y, size: 9, text: "No transactions this period."})
		y -= 13
	}
	page = append(page, pdfText{x: 50, y: y - 8, size: 9, bold: true, text: "Closing balance"},
		pdfText{x: 562, y: y - 8, size: 9, bold: true, right: true, text: money(st.closing)})
	pages = append(pages, page)
	for i := range pages {
		pages[i] = append(pages[i], pdfText{x: 562, y: 30, size: 8, colour: true, right: true,
			text: fmt.Sprintf("Page %d of %d", i+1, len(pages))})
	}
	return writePDF(fmt.Sprintf("%s statement %s %s", institutionName, a.number, st.start.Format("2006-01")), pages)
}
