package ui

// The environment form's error messages, worded by flinks.FieldError's Code and Args (flinks/env.go, Validate) in
// the user's language; a message with no code this file knows is shown as flinks wrote it.

import (
	"fmt"
	"regexp"

	"fyne.io/fyne/v2/lang"

	"flinks-onboard/flinks"
)

// fieldErrorText is the error of one field of the environment form in the user's language ("" if it is valid).
func fieldErrorText(v flinks.ValidationError, field string) string {
	f, ok := v.Find(field)
	if !ok {
		return ""
	}
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
	case "country":
		return lang.X("env.error.country", "Choose the country of the instance: CA or US.")
	case "customer-id-uuid":
		return lang.X("env.error.customer-id-uuid", "The customerId must be a UUID like 43387ca6-0391-4c82-857d-70d95f087ecb (see the Flinks Dashboard).")
	case "instance-format":
		return lang.X("env.error.instance-format", "instance %q must use only lower-case letters, digits and hyphens, like \"toolbox\" or \"acme-ca\".")
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
