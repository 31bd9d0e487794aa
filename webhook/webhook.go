// Package webhook checks and receives the webhooks Flinks pushes to an integrator's back end when a login's data is
// ready (docs/flinks-contract.md, "Webhooks"): the GetAccountsDetail payload plus ResponseType and Tag, signed with
// HMAC-SHA256 of the raw body under a secret Flinks gives, Base64-encoded, in a header Flinks' pages name two ways
// (flinks-authenticity-key and X-Flinks-Signature); both are accepted. Flinks' sandbox cannot deliver webhooks to a
// laptop, so Listen and Verify are the halves an integrator needs to test a receiver offline against `simulate`.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"flinks-onboard/flinks"
)

// The two documented names of the signature header.
const (
	HeaderAuthenticityKey = "flinks-authenticity-key"
	HeaderSignature       = "X-Flinks-Signature"
)

// SecretEnv is the environment variable the command line reads the webhook secret from (never an argument).
const SecretEnv = "FLINKS_WEBHOOK_SECRET"

// MaxBody bounds a webhook body: a GetAccountsDetail payload with a year of transactions is a few megabytes.
const MaxBody = 32 << 20

// Sign returns the Base64 HMAC-SHA256 of body under secret, as Flinks computes it.
func Sign(body []byte, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Errors of Verify.
var (
	ErrNoSecret     = errors.New("no webhook secret: set " + SecretEnv + " to the secret Flinks gave you")
	ErrNoSignature  = errors.New("the webhook carries no signature (neither " + HeaderAuthenticityKey + " nor " + HeaderSignature + ")")
	ErrBadSignature = errors.New("the signature does not match the body: the secret differs, or the body was " +
		"changed on the way (verify the raw bytes, before any JSON parsing)")
)

// Verify checks signature against body in constant time.
func Verify(body []byte, signature, secret string) error {
	switch {
	case secret == "":
		return ErrNoSecret
	case strings.TrimSpace(signature) == "":
		return ErrNoSignature
	}
	want, err := base64.StdEncoding.DecodeString(Sign(body, secret))
	if err != nil {
		return err
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(signature))
	if err != nil || !hmac.Equal(got, want) {
		return ErrBadSignature
	}
	return nil
}

// SignatureOf returns the signature a request carries, from either documented header.
func SignatureOf(h http.Header) string {
	if s := h.Get(HeaderAuthenticityKey); s != "" {
		return s
	}
	return h.Get(HeaderSignature)
}

// Summary is what a person needs to see of a webhook: no account numbers, the loginId masked.
type Summary struct {
	ResponseType string `json:"responseType"`
	Tag          string `json:"tag,omitempty"`
	LoginID      string `json:"loginId,omitempty"` // masked
	RequestID    string `json:"requestId,omitempty"`
	Institution  string `json:"institution,omitempty"`
	Accounts     int    `json:"accounts"`
	Transactions int    `json:"transactions"`
	// Holders and HolderFields: a KYC webhook's Holders list, counted, and which of the documented identity fields
	// (name, address, email, phone) it carried; never their values, which are the customer's personal information.
	Holders      int      `json:"holders,omitempty"`
	HolderFields []string `json:"holderFields,omitempty"`
}

// ResponseTypeKYC is the ResponseType of the KYC webhook (https://docs.flinks.com/reference/kyc): the holders'
// identity, sent as soon as the bank gives it and before the GetAccountsDetail webhook of the same login.
const ResponseTypeKYC = "KYC"

// IsKYC says whether s is the summary of a KYC webhook.
func (s Summary) IsKYC() bool { return strings.EqualFold(s.ResponseType, ResponseTypeKYC) }

func (s Summary) String() string {
	out := fmt.Sprintf("%s: %d accounts, %d transactions", s.ResponseType, s.Accounts, s.Transactions)
	if s.IsKYC() {
		out = fmt.Sprintf("%s: the customer's identity, %d holder(s)", s.ResponseType, s.Holders)
		if len(s.HolderFields) > 0 {
			out += " with " + strings.Join(s.HolderFields, ", ")
		}
	}
	for _, part := range []struct{ name, value string }{{"login", s.LoginID}, {"institution", s.Institution},
		{"RequestId", s.RequestID}, {"tag", s.Tag}} {
		if part.value != "" {
			out += ", " + part.name + " " + part.value
		}
	}
	return out
}

// Summarize reads a webhook payload: the GetAccountsDetail answer plus ResponseType and Tag, or the KYC webhook's
// Holders.
func Summarize(body []byte) (Summary, error) {
	var payload struct {
		ResponseType string
		Tag          *string
		RequestId    string
		Institution  string
		Login        *flinks.Login
		Accounts     []struct {
			Transactions []json.RawMessage
		}
		Holders []struct {
			Name, Email, PhoneNumber *string
			Address                  *json.RawMessage
		}
	}
	if err := json.Unmarshal(body, &payload); err != nil {
		return Summary{}, fmt.Errorf("the webhook body is not the documented JSON payload: %v", err)
	}
	s := Summary{ResponseType: flinks.Printable(payload.ResponseType, 60), RequestID: flinks.Printable(payload.RequestId, 60),
		Institution: flinks.Printable(payload.Institution, 60), Accounts: len(payload.Accounts)}
	if s.ResponseType == "" {
		s.ResponseType = "(no ResponseType)"
	}
	if payload.Tag != nil {
		s.Tag = flinks.Printable(*payload.Tag, 120)
	}
	if payload.Login != nil && payload.Login.Id != "" {
		s.LoginID = flinks.Mask(payload.Login.Id)
	}
	for _, a := range payload.Accounts {
		s.Transactions += len(a.Transactions)
	}
	s.Holders = len(payload.Holders)
	present := map[string]bool{}
	for _, h := range payload.Holders {
		present["name"] = present["name"] || nonEmpty(h.Name)
		present["address"] = present["address"] || (h.Address != nil && string(*h.Address) != "null")
		present["email"] = present["email"] || nonEmpty(h.Email)
		present["phone"] = present["phone"] || nonEmpty(h.PhoneNumber)
	}
	for _, f := range []string{"name", "address", "email", "phone"} {
		if present[f] {
			s.HolderFields = append(s.HolderFields, f)
		}
	}
	return s, nil
}

func nonEmpty(p *string) bool { return p != nil && strings.TrimSpace(*p) != "" }
