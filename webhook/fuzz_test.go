package webhook

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzSummarize: any body gives a summary or an error, never a panic; the summary's text holds no control
// character and never the loginId in clear.
func FuzzSummarize(f *testing.F) {
	const loginID = "5e6f9a1c-aaaa-4bbb-8ccc-1234567890ab"
	f.Add([]byte(`{"ResponseType":"GetAccountsDetail","Tag":"t","RequestId":"r","Institution":"FlinksCapital","Login":{"Id":"` + loginID + `"},"Accounts":[{"Transactions":[{},{}]}]}`))
	f.Add([]byte(`{"ResponseType":"\u001b[2J","Tag":"\u0007","Accounts":null}`))
	f.Add([]byte(`{"Login":{"Id":12}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := Summarize(body)
		if err != nil {
			return
		}
		text := s.String()
		if strings.ContainsFunc(text, unicode.IsControl) {
			t.Fatalf("control character in %q", text)
		}
		if strings.Contains(text, loginID) {
			t.Fatalf("the loginId in clear: %q", text)
		}
	})
}
