// Package activity keeps the Activity log: every request the app made to Flinks in this session and Connect's
// events, already redacted by the client, in a ring buffer the screens subscribe to, with "copy as curl".
package activity

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"

	"flinks-onboard/flinks"
)

// DefaultCapacity is how many exchanges an Log keeps when none is given: enough for a long polling
// session, small enough that the bodies (at most maxRecordedBody each) stay a few megabytes.
const DefaultCapacity = 500

// Log keeps the most recent exchanges in memory for the Activity screen. It is safe for concurrent use;
// the zero value is ready and keeps DefaultCapacity entries.
type Log struct {
	mu          sync.Mutex
	capacity    int
	ring        []flinks.Exchange // grows to the capacity, then oldest is overwritten at next
	next        int
	subscribers []subscriber
	nextSubID   int
}

type subscriber struct {
	id     int
	notify func(flinks.Exchange)
}

// NewLog returns a log that keeps the last capacity exchanges (DefaultCapacity if capacity <= 0).
func NewLog(capacity int) *Log {
	return &Log{capacity: capacity}
}

// Record keeps e, dropping the oldest entry when full, then tells the subscribers (outside the lock, so a
// subscriber may read the log).
func (l *Log) Record(e flinks.Exchange) {
	l.mu.Lock()
	limit := l.capacity
	if limit <= 0 {
		limit = DefaultCapacity
	}
	if len(l.ring) < limit {
		l.ring = append(l.ring, e)
	} else {
		l.ring[l.next] = e
		l.next = (l.next + 1) % limit
	}
	subs := append([]subscriber(nil), l.subscribers...)
	l.mu.Unlock()
	for _, s := range subs {
		s.notify(e)
	}
}

// Entries returns a copy of the kept exchanges, oldest first.
func (l *Log) Entries() []flinks.Exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]flinks.Exchange, 0, len(l.ring))
	out = append(out, l.ring[l.next:]...)
	return append(out, l.ring[:l.next]...)
}

// Subscribe calls fn with every exchange recorded from now on, in the order of subscription, until unsubscribe is
// called. fn runs on the request's goroutine: a GUI must hop to its own thread (fyne.Do) before touching widgets.
func (l *Log) Subscribe(fn func(flinks.Exchange)) (unsubscribe func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := l.nextSubID
	l.nextSubID++
	l.subscribers = append(l.subscribers, subscriber{id, fn})
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		for i, s := range l.subscribers {
			if s.id == id {
				l.subscribers = append(l.subscribers[:i:i], l.subscribers[i+1:]...)
				return
			}
		}
	}
}

// Clear forgets every kept exchange.
func (l *Log) Clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring, l.next = nil, 0
}

// ExportJSON writes the kept exchanges as an indented JSON array. They are already redacted.
func (l *Log) ExportJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	entries := l.Entries()
	if entries == nil {
		entries = []flinks.Exchange{}
	}
	return enc.Encode(entries)
}

// Environment variables the curl commands refer to instead of secrets.
const (
	EnvSecretKey      = "FLINKS_SECRET_KEY"
	EnvAuthorizeToken = "FLINKS_AUTHORIZE_TOKEN"
	EnvAPIKey         = "FLINKS_API_KEY"
	EnvLoginID        = "FLINKS_LOGIN_ID"
	EnvPassword       = "FLINKS_PASSWORD"
)

// curlSkippedHeaders are set by curl itself or add nothing to a reproduction.
var curlSkippedHeaders = map[string]bool{"User-Agent": true, "Accept-Encoding": true, "Content-Length": true}

// maskedValueRules find masked values in a recorded URL or body that a curl command can take from the environment.
var maskedValueRules = []struct {
	pattern *regexp.Regexp // group 1 is the masked value
	envVar  string
}{
	{regexp.MustCompile(`"(?:LoginId|loginId)"\s*:\s*"(••••[^"]*)"`), EnvLoginID},
	{regexp.MustCompile(`"(?:Password|password)"\s*:\s*"(••••[^"]*)"`), EnvPassword},
	{regexp.MustCompile(`DeleteCard/(••••[^/?#\s]*)`), EnvLoginID},
}

// Curl returns a curl command that repeats the request, with every secret taken from an environment variable:
// $FLINKS_SECRET_KEY (GenerateAuthorizeToken), $FLINKS_AUTHORIZE_TOKEN (Authorize), $FLINKS_API_KEY (x-api-key),
// $FLINKS_LOGIN_ID and $FLINKS_PASSWORD. Other masked values (usernames, MFA answers) stay masked: edit them in.
// It is built from the redacted record, so it can never leak a secret.
func Curl(e flinks.Exchange) string {
	words := []string{"curl", "-sS", "-i", "-X", e.Method, shellWord(substituteMasked(e.URL))}
	names := make([]string, 0, len(e.RequestHeaders))
	for name := range e.RequestHeaders {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if curlSkippedHeaders[http.CanonicalHeaderKey(name)] {
			continue
		}
		for _, value := range e.RequestHeaders[name] {
			if envVar, documented := secretHeaderEnv(e, name); envVar != "" {
				words = append(words, "-H", shellWord([]shellPart{{text: documented + ": "}, {envVar: envVar}}))
			} else {
				words = append(words, "-H", shellWord([]shellPart{{text: name + ": " + value}}))
			}
		}
	}
	if e.RequestBody != "" {
		words = append(words, "--data-raw", shellWord(substituteMasked(e.RequestBody)))
	}
	return strings.Join(words, " ")
}

// secretHeaderEnv says which variable holds the secret a header carried, and the header's name as Flinks documents
// it. flinks-auth-key carries the secret key on GenerateAuthorizeToken and an authorize token everywhere else
// (docs/flinks-contract.md, "Credentials and tokens").
func secretHeaderEnv(e flinks.Exchange, name string) (envVar, documentedName string) {
	switch http.CanonicalHeaderKey(name) {
	case http.CanonicalHeaderKey(flinks.HeaderAuthKey):
		if strings.Contains(e.URL, "/"+flinks.EndpointGenerateToken) {
			return EnvSecretKey, flinks.HeaderAuthKey
		}
		return EnvAuthorizeToken, flinks.HeaderAuthKey
	case http.CanonicalHeaderKey(flinks.HeaderAPIKey):
		return EnvAPIKey, flinks.HeaderAPIKey
	}
	return "", ""
}

// shellPart is literal text or a reference to an environment variable.
type shellPart struct {
	text   string
	envVar string
}

// shellWord quotes parts into one shell word: literals in single quotes, variables in double quotes.
func shellWord(parts []shellPart) string {
	var b strings.Builder
	for _, p := range parts {
		if p.envVar != "" {
			b.WriteString(`"$` + p.envVar + `"`)
			continue
		}
		if p.text == "" {
			continue
		}
		b.WriteString("'" + strings.ReplaceAll(p.text, "'", `'\''`) + "'")
	}
	if b.Len() == 0 {
		return "''"
	}
	return b.String()
}

// substituteMasked splits s around the masked values that maskedValueRules know.
func substituteMasked(s string) []shellPart {
	type span struct {
		start, end int
		envVar     string
	}
	var spans []span
	for _, rule := range maskedValueRules {
		for _, m := range rule.pattern.FindAllStringSubmatchIndex(s, -1) {
			spans = append(spans, span{m[2], m[3], rule.envVar})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var parts []shellPart
	pos := 0
	for _, sp := range spans {
		if sp.start < pos {
			continue // overlapping matches: the first wins
		}
		parts = append(parts, shellPart{text: s[pos:sp.start]}, shellPart{envVar: sp.envVar})
		pos = sp.end
	}
	return append(parts, shellPart{text: s[pos:]})
}
