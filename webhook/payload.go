package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"flinks-onboard/flinks"
)

// The payloads `flinks-onboard webhook send` and the checklist's "Your back end" group deliver to an integrator's
// receiver: the two webhooks Flinks documents for a login's data (docs/flinks-contract.md, "Webhooks";
// flinks/contract/endpoints/GetAccountsDetailWebhook.json and KYC.json), shaped as Flinks' samples with made-up
// values: one chequing account of the test institution FlinksCapital with two transactions, held by the "John Doe"
// of Flinks' GetAccountsDetail sample, and a made-up loginId and RequestId unless given.

// Kind is a webhook Flinks documents for a login's data, as `webhook send --type` names it.
type Kind string

const (
	KindAccounts Kind = "accounts" // "ResponseType": "GetAccountsDetail": the GetAccountsDetail payload
	KindKYC      Kind = "kyc"      // "ResponseType": "KYC": the holders' identity, sent before the data
)

// Kinds lists the kinds in the order a person reads them.
var Kinds = []Kind{KindAccounts, KindKYC}

// ParseKind reads a --type value.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case KindAccounts, KindKYC:
		return k, nil
	}
	return "", fmt.Errorf("unknown webhook type %q: use accounts (the GetAccountsDetail webhook) or kyc (the KYC webhook)",
		flinks.Clip(s, 40))
}

// ResponseType is the ResponseType field of the kind's payload.
func (k Kind) ResponseType() string {
	if k == KindKYC {
		return ResponseTypeKYC
	}
	return "GetAccountsDetail"
}

// PayloadOptions are what a payload carries besides Flinks' sample values.
type PayloadOptions struct {
	// Tag is the GetAccountsDetail webhook's Tag (what Connect's tag parameter carried); "" sends "Tag": null, as
	// the simulator does. The KYC webhook's sample has no Tag (https://docs.flinks.com/reference/kyc): a Tag for
	// it is refused rather than guessed.
	Tag string
	// LoginID and RequestID are made up (random UUIDs) when empty.
	LoginID, RequestID string
	// Now dates the transactions and the Login's LastRefresh; zero means the current time.
	Now time.Time
}

// ErrTagForKYC refuses a Tag for the KYC webhook, whose documented payload has none.
var ErrTagForKYC = errors.New("the KYC webhook carries no Tag in Flinks' documentation (https://docs.flinks.com/reference/kyc); " +
	"a tag goes with --type accounts")

// Payload returns the body of a kind's webhook: JSON, ResponseType first, as Flinks' samples order it.
func Payload(kind Kind, o PayloadOptions) ([]byte, error) {
	if _, err := ParseKind(string(kind)); err != nil {
		return nil, err
	}
	if kind == KindKYC && o.Tag != "" {
		return nil, ErrTagForKYC
	}
	if o.LoginID == "" {
		o.LoginID = flinks.NewUUID()
	}
	if o.RequestID == "" {
		o.RequestID = flinks.NewUUID()
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	now := o.Now.UTC()
	login := payloadLogin{Username: "Greatday", LastRefresh: now.Format("2006-01-02T15:04:05.0000000"),
		Type: "Personal", ID: o.LoginID}
	if kind == KindKYC {
		return json.Marshal(kycPayload{ResponseType: ResponseTypeKYC, HTTPStatusCode: 200,
			Holders: []payloadHolder{sampleHolder}, Login: login, Institution: sampleInstitution, RequestID: o.RequestID})
	}
	var tag *string
	if o.Tag != "" {
		tag = &o.Tag
	}
	day := func(daysAgo int) string { return now.AddDate(0, 0, -daysAgo).Format(time.DateOnly) }
	credit, debit := 1500.0, 1000.4
	holder := sampleHolder
	account := payloadAccount{
		Transactions: []payloadTransaction{
			{Date: day(1), Description: "Payroll Deposit", Credit: &credit, Balance: 50049.28, ID: flinks.NewUUID()},
			{Date: day(3), Description: "Rent payment", Debit: &debit, Balance: 48549.28, ID: flinks.NewUUID()},
		},
		TransitNumber: "77777", InstitutionNumber: "777", Title: "Chequing CAD", AccountNumber: "1111000",
		Balance:  payloadBalance{Available: 50049.28, Current: 50049.28},
		Category: "Operations", Type: "Chequing", Currency: "CAD", Holder: &holder, ID: flinks.NewUUID(),
	}
	return json.Marshal(accountsPayload{ResponseType: "GetAccountsDetail", HTTPStatusCode: 200,
		Accounts: []payloadAccount{account}, Login: login, InstitutionName: sampleInstitution,
		Institution: sampleInstitution, InstitutionID: 14, RequestID: o.RequestID, Tag: tag})
}

// The sample's institution and holder (flinks/testdata/documented/webhook-get-accounts-detail.json).
const sampleInstitution = "FlinksCapital"

var sampleHolder = payloadHolder{Name: "John Doe", Address: &payloadAddress{
	CivicAddress: "1275 avenue des Canadiens-de-Montreal", City: "Montreal", Province: "QC", PostalCode: "H3B 5E8",
	Country: "CA"}, Email: "johndoe@flinks.io", PhoneNumber: "(514) 333-7777"}

// The payloads' JSON, fields in the order of Flinks' samples.
type (
	accountsPayload struct {
		ResponseType    string           `json:"ResponseType"`
		HTTPStatusCode  int              `json:"HttpStatusCode"`
		Accounts        []payloadAccount `json:"Accounts"`
		Login           payloadLogin     `json:"Login"`
		InstitutionName string           `json:"InstitutionName"`
		Institution     string           `json:"Institution"`
		InstitutionID   int              `json:"InstitutionId"`
		RequestID       string           `json:"RequestId"`
		Tag             *string          `json:"Tag"`
	}
	kycPayload struct {
		ResponseType   string          `json:"ResponseType"`
		HTTPStatusCode int             `json:"HttpStatusCode"`
		Holders        []payloadHolder `json:"Holders"`
		Login          payloadLogin    `json:"Login"`
		Institution    string          `json:"Institution"`
		RequestID      string          `json:"RequestId"`
	}
	payloadAccount struct {
		Transactions      []payloadTransaction `json:"Transactions"`
		TransitNumber     string               `json:"TransitNumber"`
		InstitutionNumber string               `json:"InstitutionNumber"`
		OverdraftLimit    float64              `json:"OverdraftLimit"`
		Title             string               `json:"Title"`
		AccountNumber     string               `json:"AccountNumber"`
		LastFourDigits    *string              `json:"LastFourDigits"`
		Balance           payloadBalance       `json:"Balance"`
		Category          string               `json:"Category"`
		Type              string               `json:"Type"`
		Currency          string               `json:"Currency"`
		Holder            *payloadHolder       `json:"Holder"`
		AccountType       *string              `json:"AccountType"`
		ID                string               `json:"Id"`
	}
	payloadTransaction struct {
		Date        string   `json:"Date"`
		Code        *string  `json:"Code"`
		Description string   `json:"Description"`
		Debit       *float64 `json:"Debit"`
		Credit      *float64 `json:"Credit"`
		Balance     float64  `json:"Balance"`
		ID          string   `json:"Id"`
	}
	payloadBalance struct {
		Available float64  `json:"Available"`
		Current   float64  `json:"Current"`
		Limit     *float64 `json:"Limit"`
	}
	payloadHolder struct {
		Name        string          `json:"Name"`
		Address     *payloadAddress `json:"Address"`
		Email       string          `json:"Email"`
		PhoneNumber string          `json:"PhoneNumber"`
	}
	payloadAddress struct {
		CivicAddress string  `json:"CivicAddress"`
		City         string  `json:"City"`
		Province     string  `json:"Province"`
		PostalCode   string  `json:"PostalCode"`
		POBox        *string `json:"POBox"`
		Country      string  `json:"Country"`
	}
	payloadLogin struct {
		Username           string `json:"Username"`
		IsScheduledRefresh bool   `json:"IsScheduledRefresh"`
		LastRefresh        string `json:"LastRefresh"`
		Type               string `json:"Type"`
		ID                 string `json:"Id"`
	}
)
