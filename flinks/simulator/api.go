package simulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// FlinksCodes the simulator answers with (docs/flinks-contract.md, "Errors").
const (
	codeOperationPending               = "OPERATION_PENDING"
	codeOperationDispatched            = "OPERATION_DISPATCHED"
	codeSessionNonexistent             = "SESSION_NONEXISTENT"
	codeSessionExpired                 = "SESSION_EXPIRED"
	codeCardInUse                      = "CARD_IN_USE"
	codeUnauthorized                   = "UNAUTHORIZED"
	codeInvalidLogin                   = "INVALID_LOGIN"
	codeInvalidRequest                 = "INVALID_REQUEST"
	codeInvalidUsername                = "INVALID_USERNAME"
	codeInvalidPassword                = "INVALID_PASSWORD"
	codeInvalidSecurityResponse        = "INVALID_SECURITY_RESPONSE"
	codeInvalidSecurityResponseNoRetry = "INVALID_SECURITY_RESPONSE_NO_RETRY"
	codeUnknownChallengeKey            = "UNKNOWN_CHALLENGE_KEY"
	codeSecurityResponsesIncomplete    = "SECURITYRESPONSES_INCOMPLETE"
	codeRetryLater                     = "RETRY_LATER"
	codeDisabledLogin                  = "DISABLED_LOGIN"
	codeAggregationError               = "AGGREGATION_ERROR"
	codeNotFound                       = "NOT_FOUND"          // not a documented code: only for paths Flinks does not have
	codeMethodNotAllowed               = "METHOD_NOT_ALLOWED" // likewise, for a wrong HTTP method
)

const maxRequestBody = 1 << 20

// link is one entry of a Links array. Flinks sends "example": null when there is none.
type link struct {
	Rel     string  `json:"rel"`
	Href    string  `json:"href"`
	Example *string `json:"example"`
}

func newLink(rel, href, example string) link {
	l := link{Rel: rel, Href: href}
	if example != "" {
		l.Example = &example
	}
	return l
}

type challenge struct {
	Type   string `json:"Type"`
	Prompt string `json:"Prompt"`
}

// wireError is every non-200 body: errors, and the 202 "still processing" answers, which have the same shape.
type wireError struct {
	HTTPStatusCode     int         `json:"HttpStatusCode"`
	FlinksCode         string      `json:"FlinksCode"`
	Message            string      `json:"Message"`
	RequestID          string      `json:"RequestId,omitempty"`
	Institution        string      `json:"Institution,omitempty"`
	Links              []link      `json:"Links,omitempty"`
	SecurityChallenges []challenge `json:"SecurityChallenges,omitempty"`
}

// apiError is an error answer before it is written.
type apiError struct {
	status      int
	code        string
	message     string
	requestID   string
	institution string
	links       []link
	challenges  []challenge
	allow       []string // for 405: the methods the endpoint accepts
}

func (e *apiError) wire() wireError {
	return wireError{HTTPStatusCode: e.status, FlinksCode: e.code, Message: e.message, RequestID: e.requestID,
		Institution: e.institution, Links: e.links, SecurityChallenges: e.challenges}
}

// errInvalidRequest uses 401, the status of the current error table (https://docs.flinks.com/api/authorize/error-codes);
// Options.ErrorStatus400 turns it into the older help centre's 400 when it is written (see adjust).
func errInvalidRequest(format string, args ...any) *apiError {
	return &apiError{status: 401, code: codeInvalidRequest, message: fmt.Sprintf(format, args...)}
}

func errInvalidLogin() *apiError {
	return &apiError{status: 401, code: codeInvalidLogin,
		message: "The LoginId provided is either invalid or does not belong to the CustomerId"}
}

// adjust applies the documented variants that change an error's status: with Options.ErrorStatus400,
// INVALID_LOGIN and INVALID_REQUEST are 400 (https://help.flinks.com/support/solutions/articles/43000436119).
func (s *Simulator) adjust(e *apiError) *apiError {
	if s.opts.ErrorStatus400 && e.status == 401 && (e.code == codeInvalidLogin || e.code == codeInvalidRequest) {
		c := *e
		c.status = 400
		return &c
	}
	return e
}

// writeError writes an API error with the variants of Options applied.
func (s *Simulator) writeError(w http.ResponseWriter, e *apiError) { writeError(w, s.adjust(e)) }

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // a failed write means the client is gone; nothing is left to tell it
}

func writeError(w http.ResponseWriter, e *apiError) {
	if len(e.allow) > 0 {
		w.Header().Set("Allow", strings.Join(e.allow, ", "))
	}
	writeJSON(w, e.status, e.wire())
}

// credential is the key a BankingServices endpoint checks before it runs.
type credential int

const (
	secretKeyHeader credential = iota // flinks-auth-key: the secret key
	tokenHeader                       // flinks-auth-key: an authorize token, checked by Authorize itself
	apiKeyHeader                      // x-api-key
	optionalAPIKey                    // x-api-key checked when sent (a page that names no header: SetScheduledRefresh)
	bearerSecret                      // Authorization: Bearer <secret key> (GetNightlyRefreshStatus's header parameter)
)

type endpoint struct {
	name     string   // as Flinks spells it
	methods  []string // nil: decided at request time (the Async endpoints, see asyncMethods)
	withID   bool     // the path ends in /{id}
	cred     credential
	jsonBody bool
	serve    func(s *Simulator, w http.ResponseWriter, r *http.Request)
}

// endpoints are keyed by lower-case name: Flinks' ASP.NET routes match names case-insensitively.
var endpoints = map[string]endpoint{}

func init() {
	for _, e := range []endpoint{
		{name: "GenerateAuthorizeToken", methods: []string{http.MethodPost}, cred: secretKeyHeader,
			serve: (*Simulator).serveGenerateAuthorizeToken},
		{name: "Authorize", methods: []string{http.MethodPost}, cred: tokenHeader, jsonBody: true,
			serve: (*Simulator).serveAuthorize},
		{name: "GetAccountsDetail", methods: []string{http.MethodPost}, cred: apiKeyHeader, jsonBody: true,
			serve: (*Simulator).serveAccountsDetail},
		{name: "GetAccountsDetailAsync", withID: true, cred: apiKeyHeader, serve: (*Simulator).serveAccountsDetailAsync},
		{name: "GetAccountsSummary", methods: []string{http.MethodPost}, cred: apiKeyHeader, jsonBody: true,
			serve: (*Simulator).serveAccountsSummary},
		{name: "GetAccountsSummaryAsync", withID: true, cred: apiKeyHeader, serve: (*Simulator).serveAccountsSummaryAsync},
		{name: "DeleteCard", methods: []string{http.MethodDelete}, withID: true, cred: apiKeyHeader,
			serve: (*Simulator).serveDeleteCard},
	} {
		endpoints[strings.ToLower(e.name)] = e
	}
}

func (s *Simulator) routes() {
	s.mux.HandleFunc("/v3/{customerId}/BankingServices/{endpoint}", s.serveBanking)
	s.mux.HandleFunc("/v3/{customerId}/BankingServices/{endpoint}/{id}", s.serveBanking)
	// Anything else under the API answers in JSON too, so a client that builds a wrong URL still gets a body it
	// can decode and show.
	s.mux.HandleFunc("/v3/", func(w http.ResponseWriter, r *http.Request) { writeError(w, errNotFound(r)) })
	s.connectRoutes()
	s.oauthRoutes()
	s.productRoutes() // attributes (attributes.go)
	s.webhookRoutes() // the simulator's own webhook trigger (webhook_send.go)
}

func errNotFound(r *http.Request) *apiError {
	return &apiError{status: 404, code: codeNotFound, message: fmt.Sprintf("Nothing answers %s %s; BankingServices "+
		"endpoints live at /v3/{customerId}/BankingServices/{Endpoint}.", r.Method, r.URL.Path)}
}

// serveBanking checks what every BankingServices call has in common, in the order a client's mistakes are best
// explained: the instance, the endpoint, the method, the key, the body's type.
func (s *Simulator) serveBanking(w http.ResponseWriter, r *http.Request) {
	if e := s.checkBanking(r); e != nil {
		s.writeError(w, e)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
	endpoints[strings.ToLower(r.PathValue("endpoint"))].serve(s, w, r)
}

func (s *Simulator) checkBanking(r *http.Request) *apiError {
	if r.PathValue("customerId") != s.opts.CustomerID {
		return &apiError{status: 401, code: codeUnauthorized, message: "The customerId in the path is not this " +
			"instance's customerId; a customerId, its keys and its loginIds belong to one instance."}
	}
	ep, ok := endpoints[strings.ToLower(r.PathValue("endpoint"))]
	if !ok || ep.withID != (r.PathValue("id") != "") {
		return errNotFound(r)
	}
	methods := ep.methods
	if methods == nil {
		methods = s.asyncMethods()
	}
	if !slices.Contains(methods, r.Method) {
		return &apiError{status: 405, code: codeMethodNotAllowed, allow: methods,
			message: fmt.Sprintf("%s does not accept %s; allowed: %s", ep.name, r.Method, strings.Join(methods, ", "))}
	}
	switch ep.cred {
	case secretKeyHeader:
		if got := r.Header.Get("flinks-auth-key"); got != s.opts.SecretKey {
			return &apiError{status: 401, code: codeUnauthorized,
				message: "You must provide a valid auth key" + s.keyHint(got, "flinks-auth-key", "the secret key", s.isIssuedToken(got))}
		}
	case bearerSecret:
		if got := r.Header.Get("Authorization"); got != "Bearer "+s.opts.SecretKey {
			return &apiError{status: 401, code: codeUnauthorized, message: "You must provide a valid Authorization header" +
				s.bearerHint(r, got)}
		}
	case optionalAPIKey:
		if got := r.Header.Get("x-api-key"); got != "" && got != s.opts.APIKey && !s.legacy() {
			return &apiError{status: 401, code: codeUnauthorized,
				message: "You must provide a valid x-api-key" + s.keyHint(got, "x-api-key", "the x-api-key", s.isIssuedToken(got))}
		}
	case apiKeyHeader:
		if s.legacy() {
			break // x-api-key enforcement is switched on per instance by Flinks; a legacy instance has it off
		}
		if got := r.Header.Get("x-api-key"); got != s.opts.APIKey {
			return &apiError{status: 401, code: codeUnauthorized,
				message: "You must provide a valid x-api-key" + s.keyHint(got, "x-api-key", "the x-api-key", s.isIssuedToken(got))}
		}
	}
	if r.Method == http.MethodPost && !isAsync(ep.name) {
		// Every POST, with or without a body: the reference marks Content-Type: application/json as required even
		// on GenerateAuthorizeToken, which has no body (https://docs.flinks.com/reference/generateauthorizetoken),
		// and https://docs.flinks.com/api/authorize/rest-api says the API takes JSON only. A legacy instance's POST
		// to an Async endpoint carries no body (node-flinks sends none), so it is not judged.
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			got := r.Header.Get("Content-Type")
			if got == "" {
				got = "none"
			}
			return &apiError{status: 400, code: codeInvalidRequest, message: fmt.Sprintf("%s needs the header "+
				"Content-Type: application/json on every POST, even without a body (Content-Type sent: %s).",
				ep.name, clipped(got))}
		}
	}
	return nil
}

func isAsync(name string) bool { return name == detailAsync || name == summaryAsync }

// asyncMethods are the methods the Async endpoints accept: GET, as documented ("This is a GET request",
// https://docs.flinks.com/api/connect/endpoints/account-linking/get-accounts-detail-async); GET and POST with
// Options.AsyncAcceptPost or on a legacy instance (node-flinks POSTs). The faults narrow it to one method so a
// client's 405 fallback can be tested.
func (s *Simulator) asyncMethods() []string {
	switch {
	case s.opts.Faults.AsyncGetOnly:
		return []string{http.MethodGet}
	case s.opts.Faults.AsyncPostOnly:
		return []string{http.MethodPost}
	case s.opts.AsyncAcceptPost || s.legacy():
		return []string{http.MethodGet, http.MethodPost}
	}
	return []string{http.MethodGet}
}

// keyHint names the most common integration mistakes (docs/flinks-contract.md, "Credentials and tokens") without ever echoing a key: which other secret
// was sent in place of want, or that the header was missing. isToken says whether got is an issued authorize token.
func (s *Simulator) keyHint(got, header, want string, isToken bool) string {
	var sent string
	switch {
	case got == "":
		return fmt.Sprintf(" (the %s header is missing; send %s in it)", header, want)
	case got == s.opts.SecretKey:
		sent = "the secret key"
	case got == s.opts.APIKey:
		sent = "the x-api-key"
	case isToken:
		sent = "an authorize token"
	default:
		return ""
	}
	return fmt.Sprintf(" (%s holds %s; send %s in it)", header, sent, want)
}

// bearerHint explains a refused Bearer header without echoing a key: missing, without "Bearer ", or the secret key
// sent in flinks-auth-key instead.
func (s *Simulator) bearerHint(r *http.Request, got string) string {
	switch {
	case got == "" && r.Header.Get("flinks-auth-key") != "":
		return " (this endpoint takes the secret key as \"Authorization: Bearer <secret key>\", not in flinks-auth-key)"
	case got == "":
		return " (the Authorization header is missing; send \"Bearer <secret key>\" in it)"
	case !strings.HasPrefix(got, "Bearer "):
		return " (write it \"Bearer <secret key>\")"
	}
	return " (send the secret key as \"Bearer <secret key>\")"
}

func (s *Simulator) isIssuedToken(v string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.tokens[v]
	return ok
}

// decodeJSON reads a request body strictly enough to catch malformed JSON, and leniently enough (unknown fields are
// ignored, names match case-insensitively) to accept what ASP.NET model binding accepts.
func decodeJSON(r *http.Request, v any) *apiError {
	dec := json.NewDecoder(r.Body)
	err := dec.Decode(v)
	if err == nil {
		if extra := dec.Decode(&struct{}{}); !errors.Is(extra, io.EOF) {
			return errInvalidRequest("The request body must hold exactly one JSON object; something follows it.")
		}
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return errInvalidRequest("The request body is larger than %d bytes.", maxRequestBody)
	case errors.Is(err, io.EOF):
		return errInvalidRequest("The request body is empty; send a JSON object.")
	case err != nil:
		return errInvalidRequest("The request body is not valid JSON: %v", err)
	}
	return nil
}

type wireToken struct {
	HTTPStatusCode int    `json:"HttpStatusCode"`
	Token          string `json:"Token"`
}

func (s *Simulator) serveGenerateAuthorizeToken(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	now := s.now()
	s.sweepLocked(now)
	token := s.newIDLocked()
	s.tokens[token] = &authToken{expires: now.Add(tokenLifetime)}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, wireToken{HTTPStatusCode: http.StatusOK, Token: token})
}

type wireDeleted struct {
	HTTPStatusCode int    `json:"HttpStatusCode"`
	Message        string `json:"Message"`
}

// serveDeleteCard deletes everything behind a loginId. Its success body is UNCONFIRMED (docs/flinks-contract.md, "DeleteCard"): the
// simulator answers a small JSON object that, like every Flinks body, repeats the status.
func (s *Simulator) serveDeleteCard(w http.ResponseWriter, r *http.Request) {
	if e := s.deleteCard(r.PathValue("id")); e != nil {
		s.writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, wireDeleted{HTTPStatusCode: http.StatusOK,
		Message: "All of the information about this LoginId has been removed."})
}

func (s *Simulator) deleteCard(loginID string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.activeLoginLocked(loginID)
	if !ok {
		return errInvalidLogin()
	}
	if s.opts.Faults.RefuseDeleteCard || s.processingLocked(l, s.now()) {
		return &apiError{status: 400, code: codeCardInUse,
			message: "An operation was requested while the account is still being processed; retry once its data is ready."}
	}
	l.deleted = true
	if s.byUser[userKey(l.institution, l.username)] == l.id { // a tagged login (taggedLoginLocked) is not the active one
		delete(s.byUser, userKey(l.institution, l.username))
	}
	for id, ss := range s.sessions {
		if ss.login == l {
			delete(s.sessions, id)
		}
	}
	return nil
}
