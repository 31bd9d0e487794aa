package ui

// The validation messages of the environment form and of the Link form's Connect options and tag, worded by
// flinks.FieldError's Code and Args (flinks/env.go and flinks/connect.go, Validate) in the user's language; a
// message with no code this file knows is shown as flinks wrote it.

import (
	"fmt"
	"regexp"
	"strings"

	"fyne.io/fyne/v2/lang"

	"flinks-onboard/flinks"
)

// envName is an environment's name as the user reads it: the built-in ones have a name in each language (the
// report says them the same way, golive/words.go); a user's environment keeps the name they gave it (no user
// environment can take a built-in's name: storage.Store.SaveEnvironment). Compare and store the name, show this.
func envName(name string) string {
	switch name {
	case flinks.OfflineDemoName:
		return lang.X("env.name.offline-demo", "Offline demo")
	case flinks.ToolboxName:
		return lang.X("env.name.toolbox", "Flinks Toolbox")
	}
	return name
}

// fieldErrorText is the error of one field of the environment form in the user's language ("" if it is valid).
func fieldErrorText(v flinks.ValidationError, field string) string {
	f, ok := v.Find(field)
	if !ok {
		return ""
	}
	return fieldErrorWords(f)
}

// validationText is every error of v in the user's language, one sentence after the other (the Link form's
// Connect options and tag).
func validationText(v flinks.ValidationError) string {
	parts := make([]string, len(v))
	for i, f := range v {
		parts[i] = fieldErrorWords(f)
	}
	return strings.Join(parts, " ")
}

// fieldErrorWords is one error in the user's language: its code's wording with its values, or the message flinks
// wrote when the code is unknown or the values do not fit.
func fieldErrorWords(f flinks.FieldError) string {
	format := fieldErrorFormat(f.Code)
	if format == "" || len(fmtVerb.FindAllString(format, -1)) != len(f.Args) {
		return f.Message
	}
	values := make([]any, len(f.Args))
	for i, a := range f.Args {
		values[i] = a
	}
	return fmt.Sprintf(format, values...)
}

// fmtVerb is one %s or %q of a message's format.
var fmtVerb = regexp.MustCompile(`%[sq]`)

// fieldErrorFormat is the wording of a FieldError code in the user's language ("" if unknown).
func fieldErrorFormat(code string) string {
	switch code {
	case "api-key-format":
		return lang.X("env.error.api-key-format", "The x-api-key must be the UUID-like key from the Flinks Dashboard (letters, digits, hyphens).")
	case "connect-colour":
		return lang.X("link.error.connect-colour", "%q is not a hex colour; type it like #1d2733 or 1d2733.")
	case "connect-customer-name-length":
		return lang.X("link.error.connect-customer-name-length", "The customer name is %s characters long; keep it to %s or fewer.")
	case "connect-language":
		return lang.X("link.error.connect-language", "The language must be \"en\" or \"fr\", not %q.")
	case "connect-maximum-retry":
		return lang.X("link.error.connect-maximum-retry", "The maximum number of retries cannot be negative; leave it at 0 to use Flinks' default.")
	case "connect-months-of-statements":
		return lang.X("link.error.connect-months-of-statements", "The months of statements must be MostRecent, Months3 or Months12.")
	case "connect-product-type":
		return lang.X("link.error.connect-product-type", "The product type must be \"banking\" or \"investment\", not %q.")
	case "connect-request-id":
		return lang.X("link.error.connect-request-id", "The requestId must be the UUID of the pending Flinks session, like 43387ca6-0391-4c82-857d-70d95f087ecb.")
	case "connect-token-spaces":
		return lang.X("link.error.connect-token-spaces", "The authorize token contains spaces; paste it exactly as GenerateAuthorizeToken returned it.")
	case "country":
		return lang.X("env.error.country", "Choose the country of the instance: CA or US.")
	case "customer-id-uuid":
		return lang.X("env.error.customer-id-uuid", "The customerId must be a UUID like 43387ca6-0391-4c82-857d-70d95f087ecb (see the Flinks Dashboard).")
	case "instance-format":
		return lang.X("env.error.instance-format", "The instance name %q must use only lower-case letters, digits and hyphens, like \"toolbox\" or \"acme-ca\".")
	case "instance-required":
		return lang.X("env.error.instance-required", "Type the instance name (the part before -api.private.fin.ag) or an explicit API URL.")
	case "kind":
		return lang.X("env.error.kind", "Choose sandbox or production.")
	case "name-required":
		return lang.X("env.error.name-required", "Give the environment a name, e.g. \"Acme sandbox\".")
	case "poll-interval-faster":
		return lang.X("env.error.poll-interval-faster", "Flinks asks to wait %s between two polls; a shorter interval (%s) goes against its guidance and may be rate-limited (TOO_MANY_REQUESTS). Tick \"poll faster than Flinks advises\" (fastPolling) to use it anyway.")
	case "poll-interval-min":
		return lang.X("env.error.poll-interval-min", "The poll interval cannot be shorter than %s.")
	case "poll-interval-production":
		return lang.X("env.error.poll-interval-production", "A production environment polls at Flinks' documented %s at least.")
	case "poll-interval-range":
		return lang.X("env.error.poll-interval-range", "The poll interval must be between %s and %s, or 0 for Flinks' documented %s.")
	case "production-toolbox":
		return lang.X("env.error.production-toolbox", "A production environment cannot point at the public Toolbox; use your private instance.")
	case "secret-key-format":
		return lang.X("env.error.secret-key-format", "The secret key must be the UUID-like key from the Flinks Dashboard (letters, digits, hyphens).")
	case "tag-control":
		return lang.X("link.error.tag-control", "The tag contains control characters (such as line breaks); use plain text.")
	case "tag-length":
		return lang.X("link.error.tag-length", "The tag is %s characters long; keep it to %s or fewer.")
	case "url-bad-port":
		return lang.X("env.error.url-bad-port", "%q has an empty or invalid port after the colon; give the port (such as http://127.0.0.1:8080) or remove the colon.")
	case "url-http-not-loopback":
		return lang.X("env.error.url-http-not-loopback", "%q uses plain http; Flinks requires https (http is only allowed for 127.0.0.1 or localhost).")
	case "url-not-url":
		return lang.X("env.error.url-not-url", "%q is not a URL; type it as https://host[/path].")
	case "url-query":
		return lang.X("env.error.url-query", "%q has a query or fragment; give only the base URL.")
	case "url-userinfo":
		return lang.X("env.error.url-userinfo", "%q has a user name or password before the host (user:password@); remove it: Flinks takes its keys in headers, and the app keeps them in the keychain, never in a URL.")
	}
	return ""
}
