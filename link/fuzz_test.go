package link

import (
	"net/url"
	"strings"
	"testing"
	"unicode"

	"flinks-onboard/flinks"
)

// FuzzCallbackQuery: whatever query reaches the loopback's callback, what becomes a result or an error is a UUID
// loginId, an institution and a tag without control characters and bounded, or a message without control
// characters; never a panic.
func FuzzCallbackQuery(f *testing.F) {
	f.Add("loginId=" + lbLoginID + "&institution=FlinksCapital&tag=demo")
	f.Add("loginId=" + lbLoginID + "&institution=%1B%5D0%3Bowned%07&tag=%00%0A")
	f.Add("state=abc&error=access_denied&error_description=%1B%5B2J")
	f.Add("loginId=not-a-uuid&accountId=1&accountId=2,3")
	f.Add("%zz&loginId=;;")
	f.Fuzz(func(t *testing.T, raw string) {
		query, _ := url.ParseQuery(raw)
		if code := query.Get("error"); code != "" {
			msg := newCallbackError(code, query.Get("error_description")).Error()
			if strings.ContainsFunc(msg, unicode.IsControl) {
				t.Fatalf("control character in %q", msg)
			}
			return
		}
		o := loginOutcome(strings.TrimSpace(query.Get("loginId")), query.Get("institution"), query.Get("tag"), ViaRedirect)
		_ = flinks.AccountIDsFromQuery(query)
		if o.err != nil {
			if strings.ContainsFunc(o.err.Error(), unicode.IsControl) {
				t.Fatalf("control character in %q", o.err)
			}
			return
		}
		r := o.result
		if !flinks.IsUUID(r.LoginID) {
			t.Fatalf("a result with loginId %q", r.LoginID)
		}
		if strings.ContainsFunc(r.Institution+r.Tag, unicode.IsControl) {
			t.Fatalf("control characters kept: %q %q", r.Institution, r.Tag)
		}
		if len([]rune(r.Tag)) > flinks.MaxTagLength+1 || len([]rune(r.Institution)) > flinks.MaxInstitutionLength+1 {
			t.Fatalf("unbounded: %d, %d runes", len([]rune(r.Tag)), len([]rune(r.Institution)))
		}
	})
}
