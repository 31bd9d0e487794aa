package flinks

import (
	"regexp"
	"strings"
)

// Mask hides a secret but keeps its last four characters, so a person can still tell two values apart:
// "43387ca6-…-70d95f087ecb" becomes "••••7ecb". Short values are hidden entirely. The four characters kept are
// Printable: a forged loginId ending in a control character (FuzzCallbackQuery found "00000000%00") must not carry
// it into a message.
func Mask(s string) string {
	if s == "" {
		return ""
	}
	if len(s) <= 8 {
		return "••••"
	}
	return "••••" + Printable(s[len(s)-4:], 4)
}

// secretFields are JSON fields, query parameters and headers whose values are secret wherever they appear.
var secretFields = []string{
	"LoginId", "loginId", "Token", "token", "authorizeToken", "AccountNumber", "accountNumber", "Password",
	"password", "SecretKey", "secretKey", "ApiKey", "apiKey", "flinks-auth-key", "x-api-key", "state",
}

var (
	// "Field": "value" in JSON bodies.
	jsonFieldPattern = regexp.MustCompile(`"(` + strings.Join(secretFields, "|") + `)"(\s*:\s*)"([^"]*)"`)
	// field=value in URLs and form bodies.
	queryFieldPattern = regexp.MustCompile(`([?&;](?:` + strings.Join(secretFields, "|") + `)=)([^&#\s"']*)`)
	// Header: value lines.
	headerPattern = regexp.MustCompile(`(?im)^((?:flinks-auth-key|x-api-key|authorization):\s*)(.+)$`)
	// /DeleteCard/{loginId} and other paths that carry a loginId.
	pathLoginPattern = regexp.MustCompile(`((?:DeleteCard|login)/)([0-9a-fA-F-]{8,})`)
)

// Redact returns s with every secret hidden: the given secret values wherever they appear, and the values of
// secret-bearing JSON fields, query parameters, headers and loginId path segments. It is the one redaction helper:
// logs, errors, the Activity log, exports and reports all go through it.
func Redact(s string, secrets ...string) string {
	for _, v := range secrets {
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, Mask(v))
		}
	}
	s = jsonFieldPattern.ReplaceAllStringFunc(s, func(m string) string {
		g := jsonFieldPattern.FindStringSubmatch(m)
		return `"` + g[1] + `"` + g[2] + `"` + maskOnce(g[3]) + `"`
	})
	s = queryFieldPattern.ReplaceAllStringFunc(s, func(m string) string {
		g := queryFieldPattern.FindStringSubmatch(m)
		return g[1] + maskOnce(g[2])
	})
	s = headerPattern.ReplaceAllStringFunc(s, func(m string) string {
		g := headerPattern.FindStringSubmatch(m)
		return g[1] + maskOnce(strings.TrimSpace(g[2]))
	})
	return pathLoginPattern.ReplaceAllStringFunc(s, func(m string) string {
		g := pathLoginPattern.FindStringSubmatch(m)
		return g[1] + maskOnce(g[2])
	})
}

// maskOnce masks a value unless an earlier pass already did.
func maskOnce(v string) string {
	if strings.HasPrefix(v, "••••") {
		return v
	}
	return Mask(v)
}
