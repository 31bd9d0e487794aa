package flinks

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Flinks' samples and schemas do not agree on some JSON types (docs/flinks-contract.md, "Types that vary"):
// Balance.Limit is a number or null in the samples and "<string>" in the GetAccountsSummaryAsync schema; amounts
// and ids appear as numbers or strings; LastRefresh carries 6 or 7 fractional digits. The decoders below accept
// every documented form. A value of a type no page documents fails with a *json.UnmarshalTypeError, which the
// decoder completes with the field's path, so the DecodeError names the field and the type found.

var (
	float64Type = reflect.TypeFor[float64]()
	stringType  = reflect.TypeFor[string]()
)

// flexNumber is a number sent as a JSON number, a numeric string, or null ("" too counts as absent).
type flexNumber struct {
	v   float64
	set bool
}

func (n *flexNumber) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
		if err != nil {
			return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(shorten(s, 20)) + " that is not a number", Type: float64Type}
		}
		n.v, n.set = v, true
		return nil
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		v, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return &json.UnmarshalTypeError{Value: "number " + shorten(string(b), 20), Type: float64Type}
		}
		n.v, n.set = v, true
		return nil
	}
	return &json.UnmarshalTypeError{Value: jsonKind(b), Type: float64Type}
}

func (n flexNumber) ptr() *float64 {
	if !n.set {
		return nil
	}
	v := n.v
	return &v
}

// flexString is a text sent as a JSON string, a number (kept as written) or null.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '"':
		var text string
		if err := json.Unmarshal(b, &text); err != nil {
			return err
		}
		*s = flexString(text)
		return nil
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		*s = flexString(b)
		return nil
	}
	return &json.UnmarshalTypeError{Value: jsonKind(b), Type: stringType}
}

// jsonKind names the JSON type of a raw value, for an error message.
func jsonKind(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case '"':
		return "string"
	}
	return "number"
}

// UnmarshalJSON accepts each amount as a number, a numeric string or null.
func (b *Balance) UnmarshalJSON(data []byte) error {
	var w struct{ Available, Current, Limit flexNumber }
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*b = Balance{Available: w.Available.ptr(), Current: w.Current.ptr(), Limit: w.Limit.ptr()}
	return nil
}

// UnmarshalJSON accepts the amounts as numbers, numeric strings or null, and the Id as a string or a number.
func (t *Transaction) UnmarshalJSON(data []byte) error {
	type plain Transaction
	w := struct {
		*plain
		Id, Code      flexString
		Debit, Credit flexNumber
		Balance       flexNumber
	}{plain: (*plain)(t)}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	t.Id, t.Code, t.Debit, t.Credit = string(w.Id), string(w.Code), w.Debit.ptr(), w.Credit.ptr()
	t.Balance = w.Balance.v
	return nil
}

// UnmarshalJSON accepts the ids and numbers of an account as numbers or strings.
func (a *Account) UnmarshalJSON(data []byte) error {
	type plain Account
	w := struct {
		*plain
		Id, AccountNumber, LastFourDigits, TransitNumber, InstitutionNumber flexString
		OverdraftLimit, EftEligibleRatio, ETransferEligibleRatio            flexNumber
	}{plain: (*plain)(a)}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	a.Id, a.AccountNumber, a.LastFourDigits = string(w.Id), string(w.AccountNumber), string(w.LastFourDigits)
	a.TransitNumber, a.InstitutionNumber = string(w.TransitNumber), string(w.InstitutionNumber)
	a.OverdraftLimit, a.EftEligibleRatio, a.ETransferEligibleRatio = w.OverdraftLimit.ptr(), w.EftEligibleRatio.ptr(),
		w.ETransferEligibleRatio.ptr()
	return nil
}

// lastRefreshLayouts cover the documented forms: 7 fractional digits ("…46.5227901"), 6 ("…54.569261"), none,
// with or without a zone.
var lastRefreshLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05"}

// LastRefreshTime parses LastRefresh, which Flinks sends in UTC without a zone and with 6 or 7 fractional digits
// (docs/flinks-contract.md, "Types that vary").
func (l Login) LastRefreshTime() (time.Time, error) {
	for _, layout := range lastRefreshLayouts {
		if t, err := time.ParseInLocation(layout, l.LastRefresh, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &json.UnmarshalTypeError{Value: "string " + strconv.Quote(shorten(l.LastRefresh, 40)),
		Type: reflect.TypeFor[time.Time](), Field: "LastRefresh"}
}
