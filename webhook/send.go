package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"flinks-onboard/flinks"
)

// Sending: the other half of Listen, for testing a receiver one delivery at a time (`flinks-onboard webhook send`,
// as the Stripe CLI's trigger does) and for the checklist's "Your back end" group (golive/backend.go). A delivery is
// what flinks/simulator/webhook.go posts: the body, Content-Type JSON, the Base64 HMAC-SHA256 of the raw body in both
// documented header names (docs/flinks-contract.md, "Webhooks": which one Flinks sends is UNCONFIRMED).

// SendTimeout bounds one delivery: a receiver must answer at once and do its work afterwards.
const SendTimeout = 30 * time.Second

// maxAnswer is how much of a receiver's answer is read and shown.
const maxAnswer = 512

// Client is the HTTP client a delivery goes through: transport (nil: the default one), SendTimeout, and no
// redirect followed. Go's client would follow a 302 with a GET and report the page it lands on; Flinks posts to one
// URL, so a redirect is an answer, shown as such.
func Client(transport http.RoundTripper) *http.Client {
	return &http.Client{Transport: transport, Timeout: SendTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Signed is a kind's payload made with o and the signature of exactly those bytes under secret. o's LoginID and
// RequestID are made up when empty.
func Signed(kind Kind, o PayloadOptions, secret string) (body []byte, signature string, err error) {
	if secret == "" {
		return nil, "", ErrNoSecret
	}
	if body, err = Payload(kind, o); err != nil {
		return nil, "", err
	}
	return body, Sign(body, secret), nil
}

// Tampered is a delivery a receiver must refuse: the payload is signed under secret, then its RequestId is changed,
// as a body altered on the way would be. The JSON stays the documented shape; only the signature betrays it.
func Tampered(kind Kind, o PayloadOptions, secret string) (body []byte, signature string, err error) {
	if o.RequestID == "" {
		o.RequestID = flinks.NewUUID()
	}
	body, signature, err = Signed(kind, o, secret)
	if err != nil {
		return nil, "", err
	}
	other := flinks.NewUUID()
	tampered := bytes.Replace(body, []byte(`"RequestId":"`+o.RequestID+`"`), []byte(`"RequestId":"`+other+`"`), 1)
	if bytes.Equal(tampered, body) { // Payload always writes RequestId so; a change there would show here
		return nil, "", errors.New("could not change the payload's RequestId")
	}
	return tampered, signature, nil
}

// Answer is how a receiver answered a delivery.
type Answer struct {
	Status   int
	Location string // a redirect's Location
	// Body is the start of the answer's body, printable and redacted (the secrets Post was given, and the fields
	// flinks.Redact knows, such as a loginId).
	Body     string
	Duration time.Duration
}

// Post delivers body to target with signature in both documented headers (none when it is ""), and reads the start
// of the answer.
// secrets are hidden from what the answer echoes. An error means no HTTP answer came.
func Post(ctx context.Context, client *http.Client, target string, body []byte, signature string, secrets ...string) (Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if signature != "" { // "": a delivery with no signature at all, which a receiver must refuse too
		req.Header.Set(HeaderAuthenticityKey, signature)
		req.Header.Set(HeaderSignature, signature)
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // so the connection can be reused
	a := Answer{Status: resp.StatusCode, Duration: time.Since(start),
		Body: flinks.Printable(flinks.Redact(strings.TrimSpace(string(head)), secrets...), 200)}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		a.Location = flinks.Printable(flinks.Redact(resp.Header.Get("Location"), secrets...), 200)
	}
	return a, nil
}

// SendRequest is one delivery of `webhook send`.
type SendRequest struct {
	URL  string
	Kind Kind
	// Tag and LoginID go into the payload (PayloadOptions); the loginId is shown masked only.
	Tag, LoginID string
	// Tamper sends a delivery whose signature does not match its body (Tampered): the receiver must refuse it.
	Tamper bool
	Secret string
	// Client is the HTTP client; nil means Client(nil).
	Client *http.Client
}

// Validate checks what needs no network: the URL (http or https, with a host), the kind, a Tag only for the
// GetAccountsDetail webhook, a loginId shaped as Flinks' are. The secret is checked by Send.
func (r SendRequest) Validate() error {
	if err := ValidateURL(r.URL); err != nil {
		return err
	}
	if _, err := ParseKind(string(r.Kind)); err != nil {
		return err
	}
	if r.Kind == KindKYC && r.Tag != "" {
		return ErrTagForKYC
	}
	if r.LoginID != "" {
		return flinks.ValidateLoginID(r.LoginID)
	}
	return nil
}

// ValidateURL checks a receiver's URL: absolute, http or https, with a host. Its userinfo and query are kept (the
// receiver may need them) but never shown: see ShowURL.
func ValidateURL(s string) error {
	_, err := ParseHTTPURL(s, "the receiver's address, like http://127.0.0.1:8080/flinks/webhook")
	return err
}

// ParseHTTPURL parses an address the app will call: absolute, http or https, with a host. example says what to
// give instead (the receiver's address, a back end's base URL). The errors show the URL as ShowURL does, so that a
// password or a query token typed into it is never printed. One validator for `webhook send` and `verify
// --backend` (golive/backend.go), which adds its own rules.
func ParseHTTPURL(s, example string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	lower := strings.ToLower(strings.TrimSpace(s))
	switch {
	case s != "" && !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://"):
		return nil, fmt.Errorf("the URL %s must start with http:// or https://", flinks.Clip(ShowURL(s), 80))
	case err != nil || s == "":
		return nil, fmt.Errorf("%q is not a URL: give %s", flinks.Clip(ShowURL(s), 80), example)
	case u.Host == "":
		return nil, fmt.Errorf("the URL %s has no host", flinks.Clip(ShowURL(s), 80))
	}
	return u, nil
}

// ShowURL is a URL as it may be printed: without a password in it, and without its query's values (a token some
// receivers take in the URL).
func ShowURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return flinks.Printable(s, 120)
	}
	hidden := u.User != nil
	query := u.Query()
	u.User, u.RawQuery = nil, ""
	shown := u.String()
	if hidden {
		shown = strings.Replace(shown, "://", "://•••@", 1)
	}
	if len(query) > 0 {
		var pairs []string
		for _, k := range slices.Sorted(maps.Keys(query)) {
			pairs = append(pairs, url.QueryEscape(k)+"=•••")
		}
		shown += "?" + strings.Join(pairs, "&")
	}
	return flinks.Printable(shown, 200)
}

// Sent is one delivery and the receiver's answer.
type Sent struct {
	URL      string // as ShowURL shows it
	Kind     Kind
	Summary  Summary // of the body sent: the loginId masked
	Bytes    int
	Headers  []string // the headers the signature went in
	Tampered bool
	Answer   Answer
}

// Accepted says whether the receiver took the delivery: a 2xx, which Flinks counts as received.
func (s Sent) Accepted() bool { return s.Answer.Status >= 200 && s.Answer.Status < 300 }

// Verdict is what a receiver's status says about one delivery. Judge gives it, for Sent's Problem and Note and for
// the checklist's "Your back end" group (golive/backend.go), which words each verdict its own way (translated).
type Verdict int

const (
	Received          Verdict = iota // a signed delivery taken: a 2xx (Flinks asks for 200)
	Redirected                       // a signed delivery answered with a 3xx: Flinks posts to one URL, follows none
	WrongSecret                      // a signed delivery refused (401, 403): another secret, or other bytes
	NoRoute                          // a signed delivery answered 404 or 405: nothing takes a POST there
	ReceiverFailed                   // a signed delivery answered with a 5xx: Flinks retries, then stops
	NotReceived                      // a signed delivery answered anything else: Flinks counts only a 2xx
	ForgeryAccepted                  // a forged delivery taken (a 2xx): the signature is not checked
	ForgeryRefused                   // a forged delivery refused with a 4xx, as it must be
	ForgeryNotRefused                // a forged delivery neither taken nor refused (a 3xx, a 5xx): no plain refusal
)

// Judge says what status means for a delivery signed as Flinks signs it (forged false), or for one whose signature
// is wrong or missing (forged true).
func Judge(status int, forged bool) Verdict {
	accepted := status >= 200 && status < 300
	if forged {
		switch {
		case accepted:
			return ForgeryAccepted
		case status >= 400 && status < 500:
			return ForgeryRefused
		}
		return ForgeryNotRefused
	}
	switch {
	case accepted:
		return Received
	case status >= 300 && status < 400:
		return Redirected
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return WrongSecret
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		return NoRoute
	case status >= 500:
		return ReceiverFailed
	}
	return NotReceived
}

// Verdict is Judge's word on this delivery.
func (s Sent) Verdict() Verdict { return Judge(s.Answer.Status, s.Tampered) }

// Problem says what is wrong with the receiver, as this delivery showed it; "" when it answered as a correct
// receiver does (a signed delivery accepted, a tampered one not).
func (s Sent) Problem() string {
	code := s.Answer.Status
	switch s.Verdict() {
	case Received, ForgeryRefused, ForgeryNotRefused: // the last is a Note
		return ""
	case ForgeryAccepted:
		return fmt.Sprintf("the receiver ACCEPTED (%d) a webhook whose signature does not match its body: it does not check "+
			"%s against the raw body, so anyone who finds the URL can post it made-up data. Compute the HMAC-SHA256 "+
			"of the raw bytes with the webhook secret, compare it in constant time, and answer 401 when it differs, "+
			"before parsing the JSON", code, HeaderAuthenticityKey)
	case Redirected:
		where := ""
		if s.Answer.Location != "" {
			where = " to " + s.Answer.Location
		}
		return fmt.Sprintf("the receiver answered %d, a redirect%s: a webhook is posted to one URL and a redirect is not "+
			"followed. Give the final URL", code, where)
	case WrongSecret:
		return fmt.Sprintf("the receiver refused (%d) a webhook correctly signed with $%s: it verifies with another "+
			"secret, or over other bytes than the raw body (the JSON parsed and encoded again, a body already read). "+
			"Flinks would retry, then give up", code, SecretEnv)
	case NoRoute:
		return fmt.Sprintf("nothing takes a POST at this URL (%d): check the path (the starter back ends take POST %s)", code, Path)
	case ReceiverFailed:
		return fmt.Sprintf("the receiver failed (%d) on a correctly signed webhook: Flinks retries up to 10 times, 30 "+
			"minutes apart, then stops. The receiver's log says why", code)
	}
	return fmt.Sprintf("the receiver answered %d to a correctly signed webhook: Flinks counts a delivery as received "+
		"only on a 2xx (it asks for 200)", code)
}

// Note is a remark on an answer that is no failure: a 2xx other than the 200 Flinks asks for, or a tampered
// delivery turned away with something other than a plain refusal.
func (s Sent) Note() string {
	code := s.Answer.Status
	switch v := s.Verdict(); {
	case v == Received && code != http.StatusOK:
		return fmt.Sprintf("Flinks' documentation asks for a 200 (https://docs.flinks.com/api/connect/webhooks); %d is a success, not the answer it names", code)
	case v == ForgeryNotRefused:
		return fmt.Sprintf("not accepted, but %d is no plain refusal: answer 401 to a signature that does not match", code)
	}
	return ""
}

// Send makes one delivery: the payload of r.Kind, signed with r.Secret (or tampered with), posted to r.URL. The
// error is for a request that could not be made or got no HTTP answer; what the answer means is Sent.Problem.
func Send(ctx context.Context, r SendRequest) (*Sent, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if r.Secret == "" {
		return nil, ErrNoSecret
	}
	build := Signed
	if r.Tamper {
		build = Tampered
	}
	body, signature, err := build(r.Kind, PayloadOptions{Tag: r.Tag, LoginID: r.LoginID}, r.Secret)
	if err != nil {
		return nil, err
	}
	summary, err := Summarize(body)
	if err != nil {
		return nil, err
	}
	client := r.Client
	if client == nil {
		client = Client(nil)
	}
	secrets := []string{r.Secret, r.LoginID}
	s := &Sent{URL: ShowURL(r.URL), Kind: r.Kind, Summary: summary, Bytes: len(body),
		Headers: []string{HeaderAuthenticityKey, HeaderSignature}, Tampered: r.Tamper}
	s.Answer, err = Post(ctx, client, strings.TrimSpace(r.URL), body, signature, secrets...)
	if err != nil {
		return nil, fmt.Errorf("the receiver at %s did not answer: %s", s.URL, flinks.Redact(withoutURL(err), secrets...))
	}
	return s, nil
}

// withoutURL is err's text without the URL net/http puts in it: a *url.Error names the URL as net/http rewrote it
// (the password as ***, the scheme lower-cased) with its query, a token some receivers take, intact. The caller
// names the URL itself, as ShowURL shows it.
func withoutURL(err error) string {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Op + ": " + ue.Err.Error()
	}
	return err.Error()
}
