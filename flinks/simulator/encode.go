package simulator

import (
	"bufio"
	"encoding/json"
	"io"
	"iter"
	"math"
	"slices"
)

// The data payloads of docs/flinks-contract.md, "Account data", with Flinks' JSON names.

type wireAddress struct {
	CivicAddress string  `json:"CivicAddress"`
	City         string  `json:"City"`
	Province     string  `json:"Province"`
	PostalCode   string  `json:"PostalCode"`
	POBox        *string `json:"POBox"`
	Country      string  `json:"Country"`
}

type wireHolder struct {
	Name        string      `json:"Name"`
	Address     wireAddress `json:"Address"`
	Email       string      `json:"Email"`
	PhoneNumber string      `json:"PhoneNumber"`
}

type wireBalance struct {
	Available *float64 `json:"Available"`
	Current   float64  `json:"Current"`
	Limit     *float64 `json:"Limit"`
}

// wireAccount is an account without its transactions, which are streamed after it.
type wireAccount struct {
	TransitNumber     *string     `json:"TransitNumber"`
	InstitutionNumber *string     `json:"InstitutionNumber"`
	OverdraftLimit    float64     `json:"OverdraftLimit"`
	Title             string      `json:"Title"`
	AccountNumber     *string     `json:"AccountNumber"`
	LastFourDigits    string      `json:"LastFourDigits"`
	Balance           wireBalance `json:"Balance"`
	Category          string      `json:"Category"`
	Type              string      `json:"Type"`
	Currency          string      `json:"Currency"`
	Holder            *wireHolder `json:"Holder"`
	AccountType       string      `json:"AccountType"`
	ID                string      `json:"Id"`
}

type wireTransaction struct {
	Date        string   `json:"Date"`
	Code        *string  `json:"Code"`
	Description string   `json:"Description"`
	Debit       *float64 `json:"Debit"`
	Credit      *float64 `json:"Credit"`
	Balance     float64  `json:"Balance"`
	ID          string   `json:"Id"`
}

// wireDetailHead is the accounts detail without its Accounts, which are streamed after it.
type wireDetailHead struct {
	HTTPStatusCode  int       `json:"HttpStatusCode"`
	Login           wireLogin `json:"Login"`
	InstitutionName string    `json:"InstitutionName"`
	Institution     string    `json:"Institution"`
	InstitutionID   int       `json:"InstitutionId"`
	RequestID       string    `json:"RequestId"`
	Tag             string    `json:"Tag,omitempty"`
}

// wireSummaryAccount is one account of GetAccountsSummary as its page's sample shows it
// (https://docs.flinks.com/api/connect/endpoints/account-linking/get-accounts-summary.md, read 2026-12-07): the
// ratios first, no transit, institution number or overdraft limit, LastFourDigits null, the Holder object.
type wireSummaryAccount struct {
	EftEligibleRatio       float64     `json:"EftEligibleRatio"`
	ETransferEligibleRatio float64     `json:"ETransferEligibleRatio"`
	Title                  string      `json:"Title"`
	AccountNumber          string      `json:"AccountNumber"`
	LastFourDigits         *string     `json:"LastFourDigits"`
	Balance                wireBalance `json:"Balance"`
	Category               string      `json:"Category"`
	Type                   string      `json:"Type"`
	Currency               string      `json:"Currency"`
	Holder                 *wireHolder `json:"Holder"`
	AccountType            string      `json:"AccountType"`
	ID                     string      `json:"Id"`
}

// wireSummary is the GetAccountsSummary body: its sample has Links (AccountsDetail, Statements) and Tag at the top
// level (Tag null here when the session had none, as in the webhook's sample) and no InstitutionId.
type wireSummary struct {
	HTTPStatusCode  int                  `json:"HttpStatusCode"`
	Accounts        []wireSummaryAccount `json:"Accounts"`
	Links           []link               `json:"Links"`
	Tag             *string              `json:"Tag"`
	InstitutionName string               `json:"InstitutionName"`
	Login           wireLogin            `json:"Login"`
	Institution     string               `json:"Institution"`
	RequestID       string               `json:"RequestId"`
}

// institutionNumber is Flinks Capital's; 777 is not assigned to a real Canadian institution.
const institutionNumber = "777"

// dollars turns cents into a JSON number. float64(n)/100 is the double nearest n/100, and Go prints the shortest
// decimal that reads back as that double, which for any amount below 10^13 cents is exactly n/100: no 0.1+0.2 noise.
func dollars(cents int64) float64 { return float64(cents) / 100 }

func (a *accountSpec) wire(opts detailOptions, h holder) wireAccount {
	w := wireAccount{
		OverdraftLimit: dollars(a.kind.overdraft), Title: a.kind.title, LastFourDigits: a.number[len(a.number)-4:],
		Category: a.kind.category, Type: a.kind.typ, Currency: a.kind.currency, AccountType: "Personal", ID: a.id,
	}
	w.Balance.Current = dollars(a.current)
	available := dollars(a.current + a.kind.overdraft + a.kind.limit)
	w.Balance.Available = &available
	if a.kind.limit > 0 {
		limit := dollars(a.kind.limit)
		w.Balance.Limit = &limit
	}
	if opts.identity {
		number, transit, institution := a.number, a.transit, institutionNumber
		w.AccountNumber, w.TransitNumber, w.InstitutionNumber = &number, &transit, &institution
	}
	if opts.kyc {
		w.Holder = h.wire()
	}
	return w
}

// wire is the Holder object (GetAccountsDetail with WithKYC, GetAccountsSummary, the KYC webhook's Holders).
func (h holder) wire() *wireHolder {
	return &wireHolder{Name: h.name, Email: h.email, PhoneNumber: h.phone, Address: wireAddress{
		CivicAddress: h.civic, City: h.city, Province: h.province, PostalCode: h.postal, Country: "CA"}}
}

func (v dataView) head() wireDetailHead {
	return wireDetailHead{HTTPStatusCode: 200, Login: v.login, InstitutionName: institutionName,
		Institution: institutionCode, InstitutionID: institutionID, RequestID: v.requestID, Tag: v.tag}
}

// selected reports whether AccountsFilter keeps the account; an empty filter keeps them all.
func (o detailOptions) selected(accountID string) bool {
	return len(o.filter) == 0 || slices.Contains(o.filter, accountID)
}

// writeAccountsDetail streams the GetAccountsDetail payload: the envelope and each account are marshalled whole
// (they are small), and transactions are encoded one at a time through a buffered writer, so memory stays flat
// whatever the number of transactions.
func writeAccountsDetail(w io.Writer, v dataView, prof profile, count int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // "A&W" stays readable, as Flinks writes it
	if err := writeOpenObject(bw, v.head()); err != nil {
		return err
	}
	bw.WriteString(`,"Accounts":[`)
	first := true
	for i := range prof.accounts {
		a := &prof.accounts[i]
		if !v.opts.selected(a.id) {
			continue
		}
		if !first {
			bw.WriteByte(',')
		}
		first = false
		if err := writeOpenObject(bw, a.wire(v.opts, prof.holder)); err != nil {
			return err
		}
		bw.WriteString(`,"Transactions":[`)
		if v.opts.transactions {
			if err := encodeTransactions(enc, bw, a.history(v.asOf, count, v.opts.days)); err != nil {
				return err
			}
		}
		bw.WriteString("]}")
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// encodeTransactions reuses one wire value (and its Debit/Credit targets) for every transaction, so encoding
// allocates little beyond what the encoder itself needs.
func encodeTransactions(enc *json.Encoder, bw *bufio.Writer, txs iter.Seq[transaction]) error {
	var (
		wt            wireTransaction
		debit, credit float64
		n             int
	)
	for t := range txs {
		if n > 0 {
			bw.WriteByte(',')
		}
		n++
		wt.ID, wt.Date, wt.Description, wt.Balance = t.id, t.date, t.description, dollars(t.balance)
		wt.Debit, wt.Credit = nil, nil
		if t.amount >= 0 {
			credit = dollars(t.amount)
			wt.Credit = &credit
		} else {
			debit = dollars(-t.amount)
			wt.Debit = &debit
		}
		if err := enc.Encode(&wt); err != nil {
			return err
		}
	}
	return nil
}

// writeOpenObject writes v's JSON object without its closing brace, so fields can be streamed after it.
func writeOpenObject(bw *bufio.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = bw.Write(b[:len(b)-1])
	return err
}

// summarize builds the GetAccountsSummary payload. Flinks does not document how its eligibility ratios are
// computed; here they are the share of the last 90 days' transactions that were EFTs and e-Transfers.
func summarize(v dataView, prof profile, count int) wireSummary {
	head := v.head()
	sum := wireSummary{HTTPStatusCode: head.HTTPStatusCode, Accounts: []wireSummaryAccount{},
		Links:           []link{newLink("AccountsDetail", "/GetAccountsDetail", ""), newLink("Statements", "/GetStatements", "")},
		InstitutionName: head.InstitutionName, Login: head.Login, Institution: head.Institution,
		RequestID: head.RequestID}
	if v.tag != "" {
		tag := v.tag
		sum.Tag = &tag
	}
	for i := range prof.accounts {
		a := &prof.accounts[i]
		if !v.opts.selected(a.id) {
			continue
		}
		var total, eft, etransfer int
		for t := range a.history(v.asOf, count, 90) {
			total++
			switch t.class {
			case classEFT:
				eft++
			case classETransfer:
				etransfer++
			}
		}
		w := a.wire(detailOptions{}, prof.holder)
		sum.Accounts = append(sum.Accounts, wireSummaryAccount{
			EftEligibleRatio: ratio(eft, total), ETransferEligibleRatio: ratio(etransfer, total),
			Title: w.Title, AccountNumber: a.number, Balance: w.Balance, Category: w.Category, Type: w.Type,
			Currency: w.Currency, Holder: prof.holder.wire(), AccountType: w.AccountType, ID: w.ID,
		})
	}
	return sum
}

func ratio(part, total int) float64 {
	if total == 0 {
		return 0
	}
	return math.Round(float64(part)/float64(total)*100) / 100
}
