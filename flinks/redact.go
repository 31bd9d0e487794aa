package flinks

import (
	"encoding/base64"
	"regexp"
	"slices"
	"strings"
	"sync"
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

// Redact returns s with every secret hidden: the given secret values wherever and however they appear (see
// secretForms), and the values of secret-bearing JSON fields, query parameters, headers and loginId path segments.
// It is the one redaction helper: logs, errors, the Activity log, exports and reports all go through it.
func Redact(s string, secrets ...string) string {
	s = redactValues(s, secrets)
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

// minValueLen is the shortest secret value Redact looks for: shorter ones would mask ordinary words and numbers.
const minValueLen = 4

// minEncodedLen is the shortest Base64 piece of a secret Redact looks for: a value of 7 bytes or more gives one at
// every alignment (base64Pieces); shorter pieces occur by chance in any Base64 text, such as a statement's PDF.
const minEncodedLen = 8

// redactValues replaces every occurrence of a secret value in s, in any of its forms, by the secret's mask.
// A server may echo a key changed (issue 21: upper-cased, without its dashes, Base64-encoded inside FlinksCode), so
// matching is by value, not by spelling. Occurrences may overlap (a secret such as "abcdabcd" inside
// "abcdabcdabcd"): every start is found and overlapping spans are merged, so no part of one survives next to a mask.
// It reads s twice whatever the number of secrets: once for the spelled-out forms, once for the Base64 ones, only
// inside runs of Base64 characters long enough to hold a piece (BenchmarkRedact keeps the cost in view).
func redactValues(s string, secrets []string) string {
	forms := make([]*secretForms, 0, len(secrets))
	for _, v := range secrets {
		if len(v) >= minValueLen {
			forms = append(forms, formsOf(v))
		}
	}
	if len(forms) == 0 {
		return s
	}
	spans := findEncoded(s, forms, findSpelled(s, forms, nil))
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b valueSpan) int { return a.start - b.start })
	var b strings.Builder
	b.Grow(len(s))
	at := 0
	for i := 0; i < len(spans); {
		start, end, mask := spans[i].start, spans[i].end, spans[i].mask
		for i++; i < len(spans) && spans[i].start < end; i++ {
			end = max(end, spans[i].end)
		}
		b.WriteString(s[at:max(at, start)])
		b.WriteString(mask)
		at = max(at, end)
	}
	b.WriteString(s[at:])
	return b.String()
}

// valueSpan is one occurrence of a secret in a text: s[start:end], to be replaced by mask.
type valueSpan struct {
	start, end int
	mask       string
}

// secretForms is what Redact looks for of one secret value:
//   - folded: the value in ASCII lower case without its dashes. It is matched ignoring ASCII case, ignoring dashes
//     between its characters (a key echoed without dashes, or an account number written 1111-000-222), and reading
//     each character as it is written or as a URL (%4A, %2d) or JSON (\u004a) escape spells it.
//   - encoded: the pieces of the Base64 of the value (as given, lower- and upper-cased, each with and without
//     dashes) that do not depend on the bytes around it, for the three alignments of the value in a longer encoded
//     text (its first byte at offset 0, 1 or 2 of a group of three), in the standard and the URL alphabets. Padding
//     is never part of a piece, so padded and raw encodings both contain one.
type secretForms struct {
	mask       string
	folded     string
	dashes     bool // false when the value has fewer than minValueLen characters besides dashes: then they count
	encoded    []string
	minEncoded int // the length of the shortest piece in encoded
	// heads has a bit set for the first two characters of each piece in encoded (headOf), so the search tries the
	// pieces only where one can start (about 1 position in 100 of random Base64).
	heads [64]uint64
}

// headOf numbers the first two characters of a piece 0…4095 by their Base64 values (the two alphabets share them).
func headOf(s string) (word, bit int) {
	h := int(base64Value[s[0]])<<6 | int(base64Value[s[1]])
	return h / 64, h % 64
}

// base64Value is the 6-bit value of a character of either Base64 alphabet (0 for any other byte).
var base64Value = func() (v [256]byte) {
	for i, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		v[c] = byte(i)
	}
	v['-'], v['_'] = 62, 63
	return v
}()

// formsCache keeps the forms of the secrets seen recently (a few keys, tokens and loginIds per run): computing them
// costs about twenty allocations. Bounded: cleared when it holds maxCachedForms values.
var formsCache struct {
	sync.Mutex
	m map[string]*secretForms
}

const maxCachedForms = 256

func formsOf(v string) *secretForms {
	formsCache.Lock()
	defer formsCache.Unlock()
	if f, ok := formsCache.m[v]; ok {
		return f
	}
	if formsCache.m == nil || len(formsCache.m) >= maxCachedForms {
		formsCache.m = make(map[string]*secretForms)
	}
	f := newSecretForms(v)
	formsCache.m[v] = f
	return f
}

func newSecretForms(v string) *secretForms {
	f := &secretForms{mask: Mask(v), folded: toLowerASCII(strings.ReplaceAll(v, "-", "")), dashes: true}
	if len(f.folded) < minValueLen {
		f.folded, f.dashes = toLowerASCII(v), false
	}
	var spellings []string
	for _, w := range []string{v, strings.ReplaceAll(v, "-", "")} {
		for _, x := range []string{w, toLowerASCII(w), toUpperASCII(w)} {
			if !slices.Contains(spellings, x) {
				spellings = append(spellings, x)
			}
		}
	}
	urlAlphabet := strings.NewReplacer("+", "-", "/", "_")
	for _, w := range spellings {
		for _, piece := range base64Pieces(w) {
			for _, p := range []string{piece, urlAlphabet.Replace(piece)} {
				if len(p) >= minEncodedLen && !slices.Contains(f.encoded, p) {
					f.encoded = append(f.encoded, p)
					word, bit := headOf(p)
					f.heads[word] |= 1 << bit
					if f.minEncoded == 0 || len(p) < f.minEncoded {
						f.minEncoded = len(p)
					}
				}
			}
		}
	}
	return f
}

// base64Pieces returns, for each alignment of w in a longer byte string (0, 1 or 2 bytes before it in its group of
// three), the characters of the standard Base64 encoding that depend on w's bytes only.
func base64Pieces(w string) []string {
	// skip[k]: characters of the first group that depend on the k bytes before w.
	skip := [3]int{0, 2, 3}
	// tail[r]: characters of a last, partial group of r bytes that depend on w's bytes only.
	tail := [3]int{0, 1, 2}
	pieces := make([]string, 0, 3)
	for k := range 3 {
		n := k + len(w)
		enc := base64.RawStdEncoding.EncodeToString(append(make([]byte, k, n), w...))
		end := n/3*4 + tail[n%3]
		if end > skip[k] {
			pieces = append(pieces, enc[skip[k]:end])
		}
	}
	return pieces
}

// findSpelled appends the spans of every spelled-out occurrence (folded) of the forms in s, in one pass over s.
func findSpelled(s string, forms []*secretForms, spans []valueSpan) []valueSpan {
	var starts [256]bool
	starts['%'], starts['\\'] = true, true
	for _, f := range forms {
		starts[f.folded[0]], starts[toUpperByte(f.folded[0])] = true, true
	}
	for i := 0; i < len(s); i++ {
		if !starts[s[i]] {
			continue
		}
		c := toLowerByte(s[i])
		for _, f := range forms {
			if c != f.folded[0] && c != '%' && c != '\\' {
				continue
			}
			if end := f.matchAt(s, i); end > 0 {
				spans = append(spans, valueSpan{i, end, f.mask})
			}
		}
	}
	return spans
}

// findEncoded appends the spans of every Base64 piece of the forms in s. A piece lies inside a run of Base64
// characters at least as long as itself, so shorter runs (most of a JSON body's words and numbers) are skipped.
func findEncoded(s string, forms []*secretForms, spans []valueSpan) []valueSpan {
	shortest := 0
	for _, f := range forms {
		if f.minEncoded > 0 && (shortest == 0 || f.minEncoded < shortest) {
			shortest = f.minEncoded
		}
	}
	if shortest == 0 {
		return spans
	}
	var heads [len(secretForms{}.heads)]uint64
	for _, f := range forms {
		for n, h := range f.heads {
			heads[n] |= h
		}
	}
	for i := 0; i < len(s); {
		if !isBase64Char(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isBase64Char(s[j]) {
			j++
		}
		if j-i >= shortest {
			for k := i; k+shortest <= j; k++ {
				if w, bit := headOf(s[k:]); heads[w]&(1<<bit) == 0 {
					continue
				}
				for _, f := range forms {
					if w, bit := headOf(s[k:]); f.minEncoded == 0 || k+f.minEncoded > j || f.heads[w]&(1<<bit) == 0 {
						continue
					}
					for _, p := range f.encoded {
						if k+len(p) <= j && s[k:k+len(p)] == p {
							spans = append(spans, valueSpan{k, k + len(p), f.mask})
						}
					}
				}
			}
		}
		i = j
	}
	return spans
}

// isBase64Char reports whether c belongs to the standard or the URL Base64 alphabet.
func isBase64Char(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' ||
		c == '_'
}

// matchAt returns the end of the folded value read from s[i:], or 0. Each character is taken as written when it
// matches, else as the escape it may start; dashes between characters are skipped (written or escaped).
func (f *secretForms) matchAt(s string, i int) int {
	for k := 0; k < len(f.folded); k++ {
		want := f.folded[k]
		for f.dashes && k > 0 && i < len(s) {
			c, next := decodedByte(s, i)
			if c != '-' || next == i {
				break
			}
			i = next
		}
		if i < len(s) && toLowerByte(s[i]) == want {
			i++
			continue
		}
		c, next := decodedByte(s, i)
		if next <= i+1 || toLowerByte(c) != want {
			return 0
		}
		i = next
	}
	return i
}

// decodedByte reads one character of s at i as a URL (%XX) or JSON (\u00XX) escape may spell it, and returns it
// with the offset after it; next == i at the end of s.
func decodedByte(s string, i int) (c byte, next int) {
	if i >= len(s) {
		return 0, i
	}
	switch {
	case s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
		return unhex(s[i+1])<<4 | unhex(s[i+2]), i + 3
	case s[i] == '\\' && i+5 < len(s) && s[i+1] == 'u' && s[i+2] == '0' && s[i+3] == '0' && isHex(s[i+4]) &&
		isHex(s[i+5]):
		return unhex(s[i+4])<<4 | unhex(s[i+5]), i + 6
	}
	return s[i], i + 1
}

// toLowerASCII and toUpperASCII change the case of ASCII letters only, byte by byte: any other byte (of a non-ASCII
// or invalid UTF-8 secret) stays as it is, so the exact spelling of a value is always one of its forms.
func toLowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = toLowerByte(c)
	}
	return string(b)
}

func toUpperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = toUpperByte(c)
	}
	return string(b)
}

func toLowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func toUpperByte(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
