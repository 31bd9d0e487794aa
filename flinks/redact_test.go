package flinks

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	for in, want := range map[string]string{"": "", "abc": "••••", "43387ca6-0391-4c82-857d-70d95f087ecb": "••••7ecb"} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	const login = "5e6f9a1c-aaaa-4bbb-8ccc-1234567890ab"
	tests := []struct{ name, in, secret string }{
		{"json field", `{"LoginId": "` + login + `","MostRecentCached":true}`, login},
		{"account number", `{"AccountNumber":"1111000222","Title":"Chequing"}`, "1111000222"},
		{"token", `{"HttpStatusCode":200,"Token":"tok-0123456789abcdef"}`, "tok-0123456789abcdef"},
		{"query", `http://127.0.0.1:5000/cb?loginId=` + login + `&institution=FlinksCapital`, login},
		{"state", `http://127.0.0.1:5000/cb?state=s3cr3t-state-value&loginId=x`, "s3cr3t-state-value"},
		{"header", "flinks-auth-key: c4569c54-e167-4d34-8de6-f4113bc82414\nAccept: */*", "c4569c54-e167-4d34-8de6-f4113bc82414"},
		{"path", "DELETE /v3/c/BankingServices/DeleteCard/" + login, login},
		{"given secret", "the key is sekrit-value-42 here", "sekrit-value-42"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Redact(tc.in, "sekrit-value-42")
			if strings.Contains(got, tc.secret) {
				t.Errorf("Redact(%q) = %q still shows the secret", tc.in, got)
			}
			if !strings.Contains(got, "••••") {
				t.Errorf("Redact(%q) = %q shows no mask", tc.in, got)
			}
		})
	}
	if got := Redact(`{"Title":"Chequing","Balance":12.5}`); got != `{"Title":"Chequing","Balance":12.5}` {
		t.Errorf("Redact changed a harmless body: %s", got)
	}
}

func FuzzRedact(f *testing.F) {
	f.Add(`{"LoginId":"5e6f9a1c-aaaa-4bbb-8ccc-1234567890ab"}`, "secret-123")
	f.Add("x-api-key: abc\n?loginId=1&state=2", "abcd")
	f.Add(`{"FlinksCode":"SECRET5EC7E7KEY11112222"}`, testSecretKey)
	f.Add(`{"FlinksCode":"c2VjcmV0LTVlYzdlNy1rZXktMTExMTIyMjI="}`, testSecretKey)
	f.Fuzz(func(t *testing.T, s, secret string) {
		got := Redact(s, secret)
		if len(secret) >= 8 && !strings.Contains(Mask(secret), secret) && strings.Contains(got, secret) &&
			!strings.Contains(secret, "•") {
			t.Errorf("secret %q survives in %q", secret, got)
		}
		// Every form a server may echo, set inside the fuzzed text, is gone too. Checked for secrets of at least 8
		// printable ASCII characters besides dashes (a Base64 piece needs 7: minEncodedLen), without spaces (as keys,
		// tokens, loginIds and account numbers are), 6 of them letters or digits (fewer may occur by chance around a
		// mask).
		if len(strings.ReplaceAll(secret, "-", "")) < 8 || strings.ContainsFunc(secret, func(r rune) bool { return r >= 0x7f || r <= ' ' }) ||
			len(strings.Map(func(r rune) rune {
				if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
					return r
				}
				return -1
			}, secret)) < 6 || strings.ContainsAny(secret, `%\•`) {
			return
		}
		for name, form := range echoedForms(secret) {
			if got := Redact(s+" "+form+" "+s, secret); strings.Contains(got, form) {
				t.Errorf("%s %q of %q survives in %q", name, form, secret, got)
			}
		}
	})
}

// echoedForms are the ways a server may echo a secret back (issue 21): changed case, dashes dropped or added,
// URL- and JSON-escaped, Base64 in both alphabets with and without padding, alone or inside a longer encoded text.
func echoedForms(secret string) map[string]string {
	upper, nodash := strings.ToUpper(secret), strings.ReplaceAll(secret, "-", "")
	forms := map[string]string{
		"exact": secret, "upper": upper, "lower": strings.ToLower(secret), "no dashes": nodash,
		"upper no dashes": strings.ToUpper(nodash), "query escaped": url.QueryEscape(upper),
	}
	var every, json strings.Builder
	for _, c := range []byte(secret) {
		fmt.Fprintf(&every, "%%%02X", c)
		fmt.Fprintf(&json, `\u%04x`, c)
	}
	forms["every byte %XX"], forms["JSON \\u escapes"] = every.String(), json.String()
	for name, enc := range map[string]*base64.Encoding{"std": base64.StdEncoding, "raw std": base64.RawStdEncoding,
		"url": base64.URLEncoding, "raw url": base64.RawURLEncoding} {
		for spelling, v := range map[string]string{"": secret, " upper no dashes": strings.ToUpper(nodash)} {
			forms["base64 "+name+spelling] = enc.EncodeToString([]byte(v))
			for _, prefix := range []string{"k", "ke"} { // the other two alignments inside a longer text
				forms["base64 "+name+spelling+" after "+prefix] = enc.EncodeToString([]byte(prefix + v + "!"))
			}
		}
	}
	return forms
}

func TestRedactMatchesEveryFormOfASecret(t *testing.T) {
	for _, secret := range []string{"c4569c54-e167-4d34-8de6-f4113bc82414", "tok-0123456789abcdef", "1111000222"} {
		for name, form := range echoedForms(secret) {
			in := `{"FlinksCode":"` + form + `","Message":"bad key ` + form + `."}`
			got := Redact(in, secret)
			if strings.Contains(got, form) || !strings.Contains(got, Mask(secret)) {
				t.Errorf("%s of %s: Redact(%s) = %s", name, secret, in, got)
			}
			if !strings.HasPrefix(got, `{"FlinksCode":"`) || !strings.HasSuffix(got, `."}`) {
				t.Errorf("%s of %s: the text around the secret changed: %s", name, secret, got)
			}
		}
	}
	// The exact spelling of any value is still found, escapes and non-ASCII bytes included.
	for _, secret := range []string{"ab%41cd-ÉTÉ-42", `pass\u0041word`, "\xff\xfeinvalid"} {
		if got := Redact("x "+secret+" y", secret); got != "x "+Mask(secret)+" y" {
			t.Errorf("Redact of %q = %q", secret, got)
		}
	}
	// Ordinary text is left alone.
	for _, in := range []string{`{"Title":"Chequing","Balance":12.5}`, "UNAUTHORIZED: You must provide a valid auth key"} {
		if got := Redact(in, "c4569c54-e167-4d34-8de6-f4113bc82414", "1111000222"); got != in {
			t.Errorf("Redact(%q) = %q", in, got)
		}
	}
}
