package flinks

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Exchange is one HTTP request to Flinks and its answer, as the Activity screen shows it. Every field has been
// redacted before the Exchange leaves the client: secret key, x-api-key, authorize tokens, loginIds (bodies and
// paths), account numbers, usernames, passwords and MFA answers are masked. Security prompts are kept: they are what
// a person needs to see to understand an MFA round.
type Exchange struct {
	Time            time.Time     `json:"time"`
	Method          string        `json:"method"`
	URL             string        `json:"url"`
	Status          int           `json:"status,omitempty"`
	Duration        time.Duration `json:"durationNs"`
	FlinksCode      string        `json:"flinksCode,omitempty"`
	RequestID       string        `json:"requestId,omitempty"`
	RequestHeaders  http.Header   `json:"requestHeaders,omitempty"`
	ResponseHeaders http.Header   `json:"responseHeaders,omitempty"`
	RequestBody     string        `json:"requestBody,omitempty"`
	ResponseBody    string        `json:"responseBody,omitempty"`
	Err             string        `json:"error,omitempty"`
}

// Recorder receives every Exchange the client makes, retries and polls included. Record must not block for long:
// it runs on the request's goroutine.
type Recorder interface {
	Record(Exchange)
}

// RecorderFunc adapts a function to a Recorder.
type RecorderFunc func(Exchange)

// Record calls f.
func (f RecorderFunc) Record(e Exchange) { f(e) }

// RecordingTransport sends each request through next (nil: http.DefaultTransport) and records it into r like the
// client's own requests, redacted the same way: secret headers masked, secret fields and the given secrets hidden.
// It is for a request of the app's that no Client method makes, such as the simulator's webhook trigger
// (flinks/simulator/demo), so that it too shows in the Activity log. The first maxRecordedBody bytes of the answer
// are read before it is returned, for the record; the caller still reads the whole body.
func RecordingTransport(next http.RoundTripper, r Recorder, secrets ...string) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return recordingTransport{next: next, rec: r, secrets: secrets}
}

type recordingTransport struct {
	next    http.RoundTripper
	rec     Recorder
	secrets []string
}

func (t recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	e := Exchange{Time: time.Now(), Method: req.Method, URL: Redact(req.URL.String(), t.secrets...),
		RequestHeaders: redactHeaders(req.Header, t.secrets...)}
	if req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			head, _ := io.ReadAll(io.LimitReader(body, maxRecordedBody+1))
			_ = body.Close()
			e.RequestBody = redactedExcerpt(head, maxRecordedBody, t.secrets...)
		}
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		e.Duration, e.Err = time.Since(e.Time), Redact(err.Error(), t.secrets...)
		t.rec.Record(e)
		return nil, err
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxRecordedBody+1))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	e.Duration, e.Status = time.Since(e.Time), resp.StatusCode
	e.ResponseHeaders = redactHeaders(resp.Header, t.secrets...)
	e.ResponseBody = redactedExcerpt(head, maxRecordedBody, t.secrets...)
	if resp.StatusCode >= 300 {
		apiErr := parseError("", resp.StatusCode, head, t.secrets...)
		e.FlinksCode, e.RequestID = apiErr.FlinksCode, apiErr.RequestID
	}
	t.rec.Record(e)
	return resp, nil
}

// maxRecordedBody bounds the body kept in an Exchange: a 100,000-transaction answer is tens of megabytes, and the
// Activity screen needs only its beginning to show what came back.
const maxRecordedBody = 64 << 10

// alwaysMaskedHeaders hold a secret whatever their value looks like.
var alwaysMaskedHeaders = map[string]bool{
	http.CanonicalHeaderKey(HeaderAuthKey): true, http.CanonicalHeaderKey(HeaderAPIKey): true,
	"Authorization": true, "Cookie": true, "Set-Cookie": true,
}

// redactHeaders returns a copy of h with secret headers masked and every other value passed through Redact.
func redactHeaders(h http.Header, secrets ...string) http.Header {
	if len(h) == 0 {
		return nil
	}
	out := make(http.Header, len(h))
	for name, values := range h {
		masked := make([]string, len(values))
		for i, v := range values {
			if alwaysMaskedHeaders[http.CanonicalHeaderKey(name)] {
				masked[i] = Mask(v)
			} else {
				masked[i] = Redact(v, secrets...)
			}
		}
		out[name] = masked
	}
	return out
}

// redactedExcerpt returns at most limit bytes of body, redacted. A cut can land inside a secret, or inside a JSON
// string such as "AccountNumber":"12345…, where Redact (which needs whole values and closing quotes) would not see
// it: so an excerpt never ends with the beginning of a known secret or inside a string, whether the cut is ours or
// the server's (a truncated body).
func redactedExcerpt(body []byte, limit int, secrets ...string) string {
	truncated := len(body) > limit
	if truncated {
		cut := limit
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut]
	}
	if keep := withoutSecretPrefixTail(body, secrets); keep < len(body) {
		body = body[:keep]
		truncated = true
	}
	if open := unterminatedStringStart(body); open >= 0 {
		body = body[:open]
		truncated = true
	}
	s := Redact(strings.ToValidUTF8(string(body), "�"), secrets...)
	if truncated {
		s += "…"
	}
	return s
}

// withoutSecretPrefixTail returns the length of body without a trailing beginning of a secret: a cut inside a
// secret leaves a prefix that Redact, which looks for whole values, would not recognise.
func withoutSecretPrefixTail(body []byte, secrets []string) int {
	keep := len(body)
	for _, secret := range secrets {
		for n := min(len(secret)-1, len(body)); n >= 4; n-- {
			if string(body[len(body)-n:]) == secret[:n] {
				keep = min(keep, len(body)-n)
				break
			}
		}
	}
	return keep
}

// unterminatedStringStart returns the offset of the opening quote of a JSON string that body leaves open, or -1.
func unterminatedStringStart(body []byte) int {
	open, inString, escaped := -1, false, false
	for i, c := range body {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
			if inString {
				open = i
			}
		}
	}
	if inString {
		return open
	}
	return -1
}
