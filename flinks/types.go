package flinks

import (
	"fmt"
	"time"
)

// The response types below keep Flinks' own field names (RequestId, HttpStatusCode, …) so that a reader can hold
// them next to the Flinks documentation (docs/flinks-contract.md, sections "Authorize" and "Account data"). Numbers that Flinks documents as possibly null
// are pointers, so "null" and "0" stay different.

// FlexibleID is an identifier Flinks sends as a string in some pages and as a number in others (InstitutionId: 14
// or "14"). Both decode; it encodes as a string.
type FlexibleID string

// UnmarshalJSON accepts a string, a number (kept as written) or null, like every identifier (flexString).
func (id *FlexibleID) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	*id = FlexibleID(s)
	return nil
}

// Link is one entry of a response's Links: what to call next.
type Link struct {
	Rel     string `json:"rel"`
	Href    string `json:"href"`
	Example string `json:"example,omitempty"`
}

// Login describes the bank login behind a loginId. Id is the loginId itself: a secret.
type Login struct {
	Username           string
	IsScheduledRefresh bool
	LastRefresh        string // UTC, 6 or 7 fractional digits, no zone: kept as sent; parse it with LastRefreshTime
	Type               string // Personal or Business
	Id                 string
}

// SecurityChallenge is one MFA question. Only Type "QuestionAndAnswer" is confirmed; any other type is shown by
// its Prompt and answered with free text.
type SecurityChallenge struct {
	Type   string
	Prompt string
}

// AuthorizeResponse is the body of /Authorize for 200 (authorized), 203 (MFA) and 202 (still processing).
type AuthorizeResponse struct {
	HttpStatusCode     int
	FlinksCode         string `json:",omitempty"` // set on 202
	Message            string `json:",omitempty"` // set on 202
	RequestId          string
	Institution        string
	InstitutionId      FlexibleID `json:",omitempty"`
	InstitutionName    string     `json:",omitempty"`
	Links              []Link
	Login              *Login              `json:",omitempty"`
	SecurityChallenges []SecurityChallenge `json:",omitempty"`
}

// Balance of an account. Limit is usually null except on credit products.
type Balance struct {
	Available *float64
	Current   *float64
	Limit     *float64
}

// Address of an account holder.
type Address struct {
	CivicAddress string
	City         string
	Province     string
	PostalCode   string
	POBox        string
	Country      string
}

// Holder is the identity of an account holder (WithAccountIdentity).
type Holder struct {
	Name        string
	Email       string
	PhoneNumber string
	Address     Address
}

// Transaction is one line of an account's history. Exactly one of Debit and Credit is usually set; the other is
// null. Balance is the running balance; a null balance decodes as 0 (Flinks does not document null there).
type Transaction struct {
	Id          string
	Date        string // YYYY-MM-DD
	Code        string
	Description string
	Debit       *float64
	Credit      *float64
	Balance     float64
}

// transactionDateLayouts are the date forms seen in Flinks samples; the contract documents the first.
var transactionDateLayouts = []string{"2006-01-02", "2006/01/02", "2006-01-02T15:04:05"}

// Day parses Date.
func (t Transaction) Day() (time.Time, error) {
	for _, layout := range transactionDateLayouts {
		if d, err := time.Parse(layout, t.Date); err == nil {
			return d, nil
		}
	}
	return time.Time{}, fmt.Errorf("transaction date %q is not in the YYYY-MM-DD form Flinks documents", t.Date)
}

// Account is one bank account. AccountNumber is a secret: mask it before showing or exporting it
// (see AccountsDetail.MaskAccountNumbers).
type Account struct {
	Id                string
	Title             string
	AccountNumber     string
	LastFourDigits    string
	TransitNumber     string
	InstitutionNumber string
	OverdraftLimit    *float64
	Balance           Balance
	Category          string // e.g. Operations
	Type              string // Chequing, Savings, TFSA, RRSP, CreditCard, Unknown, …
	Currency          string // CAD or USD
	AccountType       string
	Holder            *Holder `json:",omitempty"`
	Transactions      []Transaction
	// EftEligibleRatio and ETransferEligibleRatio come with GetAccountsSummary, per account (Flinks' sample puts
	// them inside Accounts[]; docs/flinks-contract.md, "Account data"). nil elsewhere.
	EftEligibleRatio       *float64 `json:",omitempty"`
	ETransferEligibleRatio *float64 `json:",omitempty"`
}

// AccountsDetail is the body of GetAccountsDetail and GetAccountsDetailAsync. While Flinks is still collecting the
// data the same endpoints answer 202 with FlinksCode and Message and no Accounts.
type AccountsDetail struct {
	HttpStatusCode  int
	FlinksCode      string `json:",omitempty"`
	Message         string `json:",omitempty"`
	RequestId       string
	Institution     string
	InstitutionId   FlexibleID `json:",omitempty"`
	InstitutionName string     `json:",omitempty"`
	Login           *Login     `json:",omitempty"`
	Accounts        []Account
	Links           []Link `json:",omitempty"`
	Tag             string `json:",omitempty"` // the tag given to Connect or /Authorize, echoed back
}

// AccountsSummary is the body of GetAccountsSummary(Async): the accounts without transactions, each with its
// EftEligibleRatio and ETransferEligibleRatio (per account, as Flinks' sample shows).
type AccountsSummary struct {
	HttpStatusCode  int
	FlinksCode      string `json:",omitempty"`
	Message         string `json:",omitempty"`
	RequestId       string
	Institution     string
	InstitutionId   FlexibleID `json:",omitempty"`
	InstitutionName string     `json:",omitempty"`
	Login           *Login     `json:",omitempty"`
	Accounts        []Account
	Links           []Link `json:",omitempty"`
	Tag             string `json:",omitempty"` // the tag given to Connect or /Authorize, echoed back
}

// MaskAccountNumbers returns a copy in which every AccountNumber and the loginId are masked (last four characters
// kept), ready for an export or a screenshot. The transactions are shared with the original, not copied: they hold
// no account number, and copying 100,000 of them for an export would be waste.
func (d *AccountsDetail) MaskAccountNumbers() *AccountsDetail {
	if d == nil {
		return nil
	}
	masked := *d
	if d.Login != nil {
		login := *d.Login
		login.Id = Mask(login.Id)
		masked.Login = &login
	}
	masked.Accounts = make([]Account, len(d.Accounts))
	for i, a := range d.Accounts {
		a.AccountNumber = a.MaskedNumber() // keeps the last four digits, so accounts stay distinguishable
		masked.Accounts[i] = a
	}
	return &masked
}

// metadata lets the client read the Flinks code and RequestId of any decoded body, for the Activity log and for
// deciding whether a 202 means "keep polling".
type metadata interface {
	flinksMeta() (code, message, requestID string)
}

func (r *AuthorizeResponse) flinksMeta() (string, string, string) {
	return r.FlinksCode, r.Message, r.RequestId
}
func (d *AccountsDetail) flinksMeta() (string, string, string) {
	return d.FlinksCode, d.Message, d.RequestId
}
func (s *AccountsSummary) flinksMeta() (string, string, string) {
	return s.FlinksCode, s.Message, s.RequestId
}

// loginIDs lets the recorder learn the loginIds a response reveals (a direct login answers with one), so the
// recorded body never shows them.
type loginIDs interface{ revealedLoginID() string }

func (r *AuthorizeResponse) revealedLoginID() string { return loginIDOf(r.Login) }
func (d *AccountsDetail) revealedLoginID() string    { return loginIDOf(d.Login) }
func (s *AccountsSummary) revealedLoginID() string   { return loginIDOf(s.Login) }

func loginIDOf(l *Login) string {
	if l == nil {
		return ""
	}
	return l.Id
}
