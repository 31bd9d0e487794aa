package flinks

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"unicode/utf8"
)

// Flinks codes (docs/flinks-contract.md, "Errors"). Branch on these, never on the HTTP status: the documentation gives 400 in
// some pages and 401 in others for the same code.
const (
	CodeOperationPending               = "OPERATION_PENDING"
	CodeOperationDispatched            = "OPERATION_DISPATCHED"
	CodeSessionNonexistent             = "SESSION_NONEXISTENT"
	CodeSessionExpired                 = "SESSION_EXPIRED"
	CodeCardInUse                      = "CARD_IN_USE"
	CodeAccessDenied                   = "ACCESS_DENIED"
	CodeUnauthorized                   = "UNAUTHORIZED"
	CodeInvalidLogin                   = "INVALID_LOGIN"
	CodeInvalidRequest                 = "INVALID_REQUEST"
	CodeInvalidUsername                = "INVALID_USERNAME"
	CodeInvalidPassword                = "INVALID_PASSWORD"
	CodeInvalidSecurityResponse        = "INVALID_SECURITY_RESPONSE"
	CodeInvalidSecurityResponseNoRetry = "INVALID_SECURITY_RESPONSE_NO_RETRY"
	CodeQuestionNotFound               = "QUESTION_NOT_FOUND"
	CodeUnknownChallengeKey            = "UNKNOWN_CHALLENGE_KEY"
	CodeSecurityResponsesIncomplete    = "SECURITYRESPONSES_INCOMPLETE"
	CodeRetryLater                     = "RETRY_LATER"
	CodeTooManyRequests                = "TOO_MANY_REQUESTS"
	CodeNewAccount                     = "NEW_ACCOUNT"
	CodeDisabledLogin                  = "DISABLED_LOGIN"
	CodeDisabledInstitution            = "DISABLED_INSTITUTION"
	CodeAggregationError               = "AGGREGATION_ERROR"
	CodeConcurrentSession              = "CONCURRENT_SESSION"
	CodeAlreadyAuthorized              = "ALREADY_AUTHORIZED"
	CodeNoTransaction                  = "NO_TRANSACTION"
	CodeMethodNotAvailable             = "METHOD_NOT_AVAILABLE"
	CodeBankMaintenanceRetryLater      = "BANK_MAINTENANCE_RETRY_LATER"
)

// hints say, for each documented code, what it means for the person at the keyboard and what to do next.
var hints = map[string]string{
	CodeOperationPending:               "Flinks is still collecting the data. Keep polling the Async endpoint with the same RequestId (every 10 s, for up to 30 minutes).",
	CodeOperationDispatched:            "The request ran for more than 210 s and Flinks moved it to the background. Keep polling the Async endpoint with the same RequestId.",
	CodeSessionNonexistent:             "Flinks does not know this RequestId (wrong instance, or a typo). Call /Authorize again to get a new one.",
	CodeSessionExpired:                 "This RequestId has expired (8 minutes idle while authorizing, 30 minutes while processing) and cannot be reused. Call /Authorize again.",
	CodeCardInUse:                      "Flinks is still processing this loginId, so it cannot be deleted yet. Wait until the data is ready, then try again.",
	CodeAccessDenied:                   "Flinks refused the credentials. Check that the secret key and x-api-key belong to this instance (Flinks Dashboard).",
	CodeUnauthorized:                   "The key or token was refused. /Authorize needs a fresh authorize token (not the secret key); a token is single-use and expires after about 30 minutes. GenerateAuthorizeToken needs this instance's secret key.",
	CodeInvalidLogin:                   "This loginId is unknown on this instance: was it created in another environment (Toolbox vs your sandbox), or deleted? For a direct login, the username or password is wrong.",
	CodeInvalidRequest:                 "Flinks rejected the request body: a field is missing or has the wrong form. Check the loginId, RequestId and options; the Activity log shows what was sent.",
	CodeInvalidUsername:                "The bank refused the username. Ask the user to check it and link the account again.",
	CodeInvalidPassword:                "The bank refused the password. Ask the user to check it and link the account again; if they changed it at the bank, a live refresh will ask for it.",
	CodeInvalidSecurityResponse:        "The bank refused the answer to a security question. Check the answer and start again: a new /Authorize asks the questions again.",
	CodeInvalidSecurityResponseNoRetry: "The bank refused the answer to a security question and allows no retry. Start again with a new /Authorize.",
	CodeQuestionNotFound:               "The answers did not match the questions Flinks asked. Answer each prompt exactly as it was shown, in the same session.",
	CodeUnknownChallengeKey:            "An answer was keyed by a prompt Flinks did not ask. Answer the prompts exactly as shown.",
	CodeSecurityResponsesIncomplete:    "Not every security question was answered. Answer all of the prompts and send them together.",
	CodeRetryLater:                     "Flinks could not reach the bank right now. Try again in a few minutes.",
	CodeTooManyRequests:                "Flinks is rate-limiting this instance. Wait a little before trying again, and avoid polling faster than every 10 s.",
	CodeNewAccount:                     "The bank needs the user to act on their account first (for example accept new terms). Ask them to log in to their bank's website, then try again.",
	CodeDisabledLogin:                  "The bank has disabled or locked this login. The user must fix it with their bank before trying again.",
	CodeDisabledInstitution:            "This institution is currently unavailable at Flinks. Try again later or pick another institution.",
	CodeAggregationError:               "Flinks failed unexpectedly while collecting the data. Try again; if it keeps happening, send the RequestId to Flinks support.",
	CodeConcurrentSession:              "Another session is already running for this login. Wait for it to finish, then try again.",
	CodeAlreadyAuthorized:              "This request was already authorized. Use the RequestId you already have to fetch the data.",
	CodeNoTransaction:                  "The bank returned no transactions for the requested period. Try Days365, or check the account is active.",
	CodeMethodNotAvailable:             "This endpoint is not enabled for your instance. Ask your Flinks representative to enable it.",
	CodeBankMaintenanceRetryLater:      "The bank is under maintenance. Try again later.",
}

// The hints of a refused key, where the endpoint tells which key it was.
const (
	// hintInstitutionRefused is UNAUTHORIZED on a live /Authorize, Custom OAuth or in Connect: Flinks' handled-errors
	// page reads it as the institution refusing access (docs/flinks-contract.md, "UNAUTHORIZED has two meanings").
	hintInstitutionRefused = "The institution did not authorize access: the customer may need to complete additional steps on their bank's website (accept new terms, confirm a notice, unlock the account), then link or refresh again. If Flinks' message mentions the authorize token instead, /Authorize needs a fresh token for every flow."
	hintSecretKeyRefused   = "The secret key was refused. GenerateAuthorizeToken needs this instance's secret key (Flinks Dashboard); check that the environment (or $FLINKS_SECRET_KEY) holds the right one."
	hintNotFlinks          = "This answer did not come from the Flinks API: check the environment's API URL (or instance name), and any proxy between you and Flinks."
	hintAPIKeyRefused      = "The x-api-key was refused. The data endpoints and DeleteCard need this instance's x-api-key (Flinks Dashboard); check that the environment (or $FLINKS_API_KEY) holds the right one."
)

// Hints lists every hint text, sorted, so the GUI's translations can cover them all.
func Hints() []string {
	all := append(slices.Collect(maps.Values(hints)), hintSecretKeyRefused, hintAPIKeyRefused, hintInstitutionRefused, hintNotFlinks)
	slices.Sort(all)
	return all
}

// Hint explains a Flinks code in plain language: what it means for this user and what to do. It returns "" for a
// code it does not know; show such a code raw with Flinks' message.
func Hint(code string) string { return hints[code] }

// APIError is a response Flinks answered with a non-2xx status (or a 2xx status that carries an error code).
// Message has been through Redact, so it is safe to show and log.
type APIError struct {
	HTTPStatus int
	FlinksCode string
	Message    string
	RequestID  string
	Endpoint   string // e.g. "Authorize"; never carries a loginId
	// Live is true when the call contacted the bank: a live /Authorize (a refresh, a direct login, the step after
	// Custom OAuth) or its MFA answers. UNAUTHORIZED means something else there (see Hint).
	Live bool
	// NotFlinks is true when the body was not Flinks' JSON (a web server's "404 page not found", a proxy's HTML
	// page): the request most likely never reached the Flinks API.
	NotFlinks bool
}

func (e *APIError) Error() string {
	var b strings.Builder
	if e.Endpoint != "" {
		b.WriteString(e.Endpoint + ": ")
	}
	fmt.Fprintf(&b, "Flinks answered %d %s", e.HTTPStatus, http.StatusText(e.HTTPStatus))
	if e.FlinksCode != "" {
		b.WriteString(" " + e.FlinksCode)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (RequestId %s)", e.RequestID)
	}
	return b.String()
}

// Hint is Hint(e.FlinksCode), made precise for the call that got it. UNAUTHORIZED has two meanings
// (docs/flinks-contract.md, "UNAUTHORIZED has two meanings"): on GenerateAuthorizeToken and the data endpoints a
// refused key or token; on a live /Authorize and Custom OAuth, the institution did not authorize access.
func (e *APIError) Hint() string {
	if e.NotFlinks && e.FlinksCode == "" {
		return hintNotFlinks
	}
	if e.FlinksCode == CodeUnauthorized && (e.Live || e.Endpoint == endpointOAuthAuthorize) &&
		!strings.Contains(strings.ToLower(e.Message), "token") {
		return hintInstitutionRefused
	}
	// The same code means a different key depending on the endpoint: say which one to check.
	if e.FlinksCode == CodeUnauthorized || e.FlinksCode == CodeAccessDenied {
		switch e.Endpoint {
		case EndpointGenerateToken:
			return hintSecretKeyRefused
		case endpointAccountsDetail, endpointAccountsDetailPoll, endpointSummary, endpointSummaryPoll, endpointDeleteCard:
			return hintAPIKeyRefused
		}
	}
	return Hint(e.FlinksCode)
}

// ErrorCode returns the Flinks code carried by err, or "" if err is not an *APIError.
func ErrorCode(err error) string {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.FlinksCode
	}
	return ""
}

// DecodeError reports a response body that is not the JSON Flinks documents (malformed, truncated, HTML from a
// proxy…). Excerpt is short and redacted.
type DecodeError struct {
	Endpoint   string
	HTTPStatus int
	Excerpt    string
	Err        error
}

func (e *DecodeError) Error() string {
	if typeErr, ok := errors.AsType[*json.UnmarshalTypeError](e.Err); ok {
		// Valid JSON whose field has a type the client does not expect: say which field and what it found.
		// The decoders of types.go embed the type they complete as "plain": not a Flinks field name.
		field := strings.ReplaceAll(typeErr.Field, "plain.", "")
		if field == "" {
			field = "(the whole body)"
		}
		return fmt.Sprintf("%s: Flinks answered %d with valid JSON, but the field %s holds %s where the client expects %s; the client does not know this form of the field: please report it with the Activity log entry",
			e.Endpoint, e.HTTPStatus, field, withArticle(typeErr.Value), withArticle(typeErr.Type.String()))
	}
	what := "Flinks' answer was malformed: the body is not valid JSON"
	switch {
	case errors.Is(e.Err, errTruncated):
		what = "Flinks' answer was cut off: the body is truncated (the JSON ends early)"
	case errors.Is(e.Err, errTrailing):
		what = "Flinks' answer was malformed: the body is not valid JSON (a JSON value followed by something else)"
	}
	msg := fmt.Sprintf("%s: %s (HTTP %d): %v", e.Endpoint, what, e.HTTPStatus, e.Err)
	if e.Excerpt != "" {
		msg += fmt.Sprintf("; it starts with %q", e.Excerpt)
	}
	return msg + "; check the API base URL, or a proxy between you and Flinks"
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Malformed reports a body cut off or broken (not JSON, or JSON followed by something else), as a network or a proxy
// breaks it, rather than valid JSON of a form the client does not know: repeating the request may cure the first.
func (e *DecodeError) Malformed() bool {
	if _, ok := errors.AsType[*json.UnmarshalTypeError](e.Err); ok {
		return false
	}
	_, syntax := errors.AsType[*json.SyntaxError](e.Err)
	return syntax || errors.Is(e.Err, errTruncated) || errors.Is(e.Err, errTrailing)
}

// withArticle puts "a" or "an" before a type name: "an object", "a string".
func withArticle(s string) string {
	s = strings.ReplaceAll(s, "flinks.", "")
	if s != "" && strings.ContainsRune("aeiouAEIOU", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

var errTruncated = errors.New("unexpected end of JSON")

// TransportError reports a request that got no complete HTTP answer: DNS, refused or dropped connections, TLS,
// timeouts. Detail is redacted; Err keeps the original chain for errors.Is (e.g. syscall.ECONNREFUSED).
type TransportError struct {
	Endpoint string
	Host     string
	Detail   string
	Err      error
	// CutOff: Flinks answered 2xx but the connection dropped before the end of the body.
	CutOff bool
}

func (e *TransportError) Error() string {
	if e.CutOff {
		return fmt.Sprintf("%s: Flinks' answer was cut off (from %s): %s; check the network, or a proxy between you and Flinks",
			e.Endpoint, e.Host, e.Detail)
	}
	return fmt.Sprintf("%s: could not reach Flinks at %s: %s; check the instance name or API URL, and the network",
		e.Endpoint, e.Host, e.Cause())
}

// Cause says in plain words why Flinks could not be reached, for the faults a person can act on (a host name that
// does not exist, nothing listening, no route, no answer in time); other faults keep the network's own words.
func (e *TransportError) Cause() string {
	var dnsErr *net.DNSError
	switch {
	case errors.As(e.Err, &dnsErr) && dnsErr.IsNotFound:
		return fmt.Sprintf("the host name %s does not exist (DNS found no such name)", dnsErr.Name)
	case errors.As(e.Err, &dnsErr):
		return fmt.Sprintf("the host name %s could not be looked up (DNS did not answer)", dnsErr.Name)
	case errors.Is(e.Err, syscall.ECONNREFUSED):
		return "nothing answers at that address (connection refused)"
	case errors.Is(e.Err, syscall.ENETUNREACH), errors.Is(e.Err, syscall.EHOSTUNREACH):
		return "this computer has no route to that address (network unreachable)"
	case errors.Is(e.Err, syscall.ECONNRESET):
		return "the connection was closed by the other end (connection reset)"
	}
	var netErr net.Error
	if errors.As(e.Err, &netErr) && netErr.Timeout() {
		return "no answer came in time (timeout)"
	}
	return e.Detail
}

func (e *TransportError) Unwrap() error { return e.Err }

// Errors a caller may test with errors.Is.
var (
	ErrPollTimeout    = errors.New("flinks: gave up waiting for the data")
	ErrNoSecretKey    = errors.New("the secret key is empty: set it in the environment's settings (Flinks Dashboard)")
	ErrNoAPIKey       = errors.New("the x-api-key is empty: set it in the environment's settings (Flinks Dashboard)")
	ErrMFACancelled   = errors.New("security questions were not answered")
	ErrInvalidLoginID = errors.New("invalid loginId")
)

// errorBody is the documented error shape; extra fields are ignored.
type errorBody struct {
	HttpStatusCode int
	FlinksCode     string
	Message        string
	RequestId      string
}

// maxErrorBody bounds how much of an error body is read: error bodies are small, and a huge one is not Flinks.
const maxErrorBody = 64 << 10

// excerptLen is the length of the body excerpt shown in an error message.
const excerptLen = 160

// parseError turns a non-2xx body into an *APIError. It is the one place that reads Flinks error bodies. A body that
// is not JSON still gives an *APIError (so callers can branch on the status), whose message quotes a redacted
// excerpt. secrets are redacted from the message.
func parseError(endpoint string, status int, body []byte, secrets ...string) *APIError {
	e := &APIError{HTTPStatus: status, Endpoint: endpoint}
	var parsed errorBody
	if err := json.Unmarshal(body, &parsed); err != nil {
		// The excerpt as a person reads it: one line, its line breaks and runs of spaces made single spaces,
		// rather than Go's quoting, which would show a "404 page not found\n" with a literal \n.
		if excerpt := strings.Join(strings.Fields(redactedExcerpt(body, excerptLen, secrets...)), " "); excerpt != "" {
			e.NotFlinks = true // an empty body says nothing about who answered
			e.Message = fmt.Sprintf("the body is not Flinks JSON: \"%s\"", Printable(excerpt, excerptLen+10))
		}
		return e
	}
	return newAPIError(endpoint, status, parsed.FlinksCode, parsed.Message, parsed.RequestId, secrets...)
}

// newAPIError builds the error of an answer carrying a Flinks error. Every field that reaches a message went
// through Redact (a server may echo a key in any of them, FlinksCode included) and Printable (no control
// character reaches a terminal), redacted before it is shortened: a secret cut in half would not be recognised.
func newAPIError(endpoint string, status int, code, message, requestID string, secrets ...string) *APIError {
	return &APIError{HTTPStatus: status, Endpoint: endpoint,
		FlinksCode: cleanField(code, maxCodeLen, secrets),
		Message:    cleanField(message, 500, secrets),
		RequestID:  cleanField(requestID, 100, secrets)}
}

// maxCodeLen bounds a FlinksCode; the documented ones are under 40 characters.
const maxCodeLen = 64

// cleanField is a field of a Flinks answer made safe for a message or a record: redacted, printable, bounded.
func cleanField(s string, limit int, secrets []string) string {
	return Printable(shorten(strings.TrimSpace(Redact(s, secrets...)), limit), limit)
}

// shorten cuts s to at most n bytes on a rune boundary.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
