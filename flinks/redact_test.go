package flinks

import (
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
	f.Fuzz(func(t *testing.T, s, secret string) {
		got := Redact(s, secret)
		if len(secret) >= 8 && !strings.Contains(Mask(secret), secret) && strings.Contains(got, secret) &&
			!strings.Contains(secret, "•") {
			t.Errorf("secret %q survives in %q", secret, got)
		}
	})
}
