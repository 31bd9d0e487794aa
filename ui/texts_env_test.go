package ui

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"flinks-onboard/flinks"
)

// Every error of the environment form has a code the GUI words, and in English it words it as flinks does.
func TestFieldErrorTextsMatchFlinks(t *testing.T) {
	inEnglish(t)
	good := flinks.Environment{Name: "Acme", Kind: flinks.KindSandbox, Country: "CA", Instance: "acme",
		CustomerID: "43387ca6-0391-4c82-857d-70d95f087ecb"}
	creds := flinks.Credentials{SecretKey: "abcdefgh-1234", APIKey: "abcdefgh-5678"}
	cases := []func(*flinks.Environment, *flinks.Credentials){
		func(e *flinks.Environment, _ *flinks.Credentials) {
			e.Name, e.Kind, e.Country, e.Instance = "", "", "FR", ""
		},
		func(e *flinks.Environment, _ *flinks.Credentials) { e.Instance = "Acme_CA" },
		func(e *flinks.Environment, _ *flinks.Credentials) {
			e.APIBase, e.IframeBase = "nope", "http://example.com"
		},
		func(e *flinks.Environment, _ *flinks.Credentials) {
			e.APIBase, e.IframeBase = "https://u:p@h.com", "https://h.com?x=1"
		},
		func(e *flinks.Environment, _ *flinks.Credentials) { e.APIBase = "http://127.0.0.1:" },
		func(e *flinks.Environment, c *flinks.Credentials) { e.CustomerID, c.SecretKey, c.APIKey = "x", "", "" },
		func(e *flinks.Environment, _ *flinks.Credentials) { e.PollInterval = time.Hour },
		func(e *flinks.Environment, _ *flinks.Credentials) { e.PollInterval = 2 * time.Second },
		func(e *flinks.Environment, _ *flinks.Credentials) {
			e.PollInterval, e.FastPolling = time.Millisecond, true
		},
		func(e *flinks.Environment, _ *flinks.Credentials) {
			e.Kind, e.Instance, e.PollInterval, e.FastPolling = flinks.KindProduction, flinks.ToolboxInstance, 2*time.Second, true
		},
	}
	codes := map[string]bool{}
	for i, change := range cases {
		env, c := good, creds
		change(&env, &c)
		var invalid flinks.ValidationError
		if !errors.As(env.Validate(c), &invalid) {
			t.Fatalf("case %d: valid", i)
		}
		for _, f := range invalid {
			codes[f.Code] = true
			if fieldErrorFormat(f.Code) == "" {
				t.Errorf("case %d: %s: code %q has no wording: %q", i, f.Field, f.Code, f.Message)
			}
			if got := fieldErrorText(flinks.ValidationError{f}, f.Field); got != f.Message {
				t.Errorf("case %d: %s %s:\n\t%q\nwant\n\t%q", i, f.Field, f.Code, got, f.Message)
			}
		}
	}
	if len(codes) < 17 {
		t.Errorf("only %d codes seen: %v", len(codes), codes)
	}
}

// A form's error is a sentence: in English and in French it starts with a capital letter (or a quoted value).
func TestFormErrorsStartWithACapital(t *testing.T) {
	en, _ := readTranslations(t, "en.json")
	fr, _ := readTranslations(t, "fr.json")
	seen := 0
	for id := range en {
		if !strings.HasPrefix(id, "env.error.") && !strings.HasPrefix(id, "link.error.") {
			continue
		}
		seen++
		for name, text := range map[string]string{"en.json": en[id], "fr.json": fr[id]} {
			if r, _ := utf8.DecodeRuneInString(text); unicode.IsLower(r) {
				t.Errorf("%s: %s starts in lower case: %q", name, id, text)
			}
		}
	}
	if seen < 20 {
		t.Fatalf("only %d form errors found", seen)
	}
}
