package flinks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
)

// This file holds the endpoints about a login: authorize tokens, /Authorize and its MFA rounds, Custom OAuth and
// DeleteCard (docs/flinks-contract.md, sections "Authorize", "Credentials and tokens", "Custom OAuth", "DeleteCard").

// ValidateLoginID checks that s looks like a loginId (a UUID) and says what is wrong otherwise. The message never
// repeats the value: a loginId is a secret, and a malformed one is often a real one with a stray character.
func ValidateLoginID(s string) error {
	const form = "a UUID: 8-4-4-4-12 hexadecimal digits, like xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
	switch trimmed := strings.Trim(s, " \t\r\n\"'<>"); {
	case s == "":
		return fmt.Errorf("%w: it is empty; paste the loginId Connect returned (%s)", ErrInvalidLoginID, form)
	case trimmed != s && IsUUID(trimmed):
		return fmt.Errorf("%w: it has spaces, quotes or brackets around it; paste only the UUID", ErrInvalidLoginID)
	case !IsUUID(s):
		return fmt.Errorf("%w: a loginId is %s; the value given has %d characters", ErrInvalidLoginID, form, len(s))
	}
	return nil
}

type tokenResponse struct {
	HttpStatusCode int
	Token          string
}

// GenerateAuthorizeToken asks for a single-use authorize token with the secret key. Authorize calls it for you;
// call it yourself only for Connect's authorizeToken parameter. It is repeated after a transport error, a 5xx or a
// cut-off answer: a token whose answer was lost is never used, and expires (retry.go).
func (c *Client) GenerateAuthorizeToken(ctx context.Context) (string, error) {
	var out tokenResponse
	cl := &call{endpoint: EndpointGenerateToken, method: http.MethodPost, path: c.bankingPath(EndpointGenerateToken),
		auth: authSecretKey, retry: retryReads}
	if _, err := c.do(ctx, cl, &out); err != nil {
		return "", err
	}
	if out.Token == "" {
		return "", fmt.Errorf("%s: Flinks answered without a token; check the secret key and the instance", EndpointGenerateToken)
	}
	return out.Token, nil
}

// AuthorizeRequest is one /Authorize flow. Give either LoginID (cached, or Live) or the legacy direct login
// (Username, Password, Institution: used to drive the Toolbox test users).
type AuthorizeRequest struct {
	LoginID string
	// Live contacts the bank (MostRecentCached:false, Save:true): a refresh, or the step after Custom OAuth. It may
	// ask MFA. Without it the last aggregation is used (MostRecentCached:true). A direct login is always live.
	Live        bool
	Username    string
	Password    string
	Institution string // e.g. "FlinksCapital"
	Language    string // "en" or "fr": also the language of the bank's prompts
	Tag         string
}

func (r AuthorizeRequest) validate() error {
	direct := r.Username != "" || r.Password != "" || r.Institution != ""
	switch {
	case r.LoginID != "" && direct:
		return errors.New("give either a loginId or a username/password/institution, not both")
	case direct && (r.Username == "" || r.Password == "" || r.Institution == ""):
		return errors.New("a direct login needs the username, the password and the institution (e.g. FlinksCapital)")
	case !direct:
		if err := ValidateLoginID(r.LoginID); err != nil {
			return err
		}
	}
	if r.Language != "" && r.Language != "en" && r.Language != "fr" {
		return fmt.Errorf("language %q is not supported by Flinks; use en or fr", r.Language)
	}
	return nil
}

// authorizeBody is the wire form of /Authorize; the MFA follow-up sends only RequestId and SecurityResponses.
type authorizeBody struct {
	LoginId           string              `json:",omitempty"`
	Username          string              `json:",omitempty"`
	Password          string              `json:",omitempty"`
	Institution       string              `json:",omitempty"`
	MostRecentCached  *bool               `json:",omitempty"`
	Save              bool                `json:",omitempty"`
	Language          string              `json:",omitempty"`
	Tag               string              `json:",omitempty"`
	RequestId         string              `json:",omitempty"`
	SecurityResponses map[string][]string `json:",omitempty"`
}

// redactedForLog keeps the prompts (a person needs them to follow an MFA round) and masks the answers.
func (b authorizeBody) redactedForLog() any {
	b.LoginId, b.Username, b.Password = Mask(b.LoginId), Mask(b.Username), Mask(b.Password)
	if b.SecurityResponses != nil {
		masked := make(map[string][]string, len(b.SecurityResponses))
		for prompt, answers := range b.SecurityResponses {
			masked[prompt] = make([]string, len(answers))
			for i, a := range answers {
				masked[prompt][i] = Mask(a)
			}
		}
		b.SecurityResponses = masked
	}
	return b
}

func newAuthorizeBody(r AuthorizeRequest) authorizeBody {
	live := r.Live || r.LoginID == ""
	cached := !live
	return authorizeBody{LoginId: r.LoginID, Username: r.Username, Password: r.Password, Institution: r.Institution,
		MostRecentCached: &cached, Save: live, Language: r.Language, Tag: r.Tag}
}

// AuthorizeState is where an /Authorize flow stands.
type AuthorizeState int

const (
	// Authorized (200): fetch the data with RequestID.
	Authorized AuthorizeState = iota + 1
	// NeedsMFA (203): show Challenges and continue with Client.AnswerMFA.
	NeedsMFA
	// Pending (202 OPERATION_PENDING / OPERATION_DISPATCHED): Flinks is still working; poll
	// Client.WaitForAccountsDetail with RequestID.
	Pending
)

func (s AuthorizeState) String() string {
	switch s {
	case Authorized:
		return "authorized"
	case NeedsMFA:
		return "needs MFA"
	case Pending:
		return "pending"
	}
	return fmt.Sprintf("AuthorizeState(%d)", int(s))
}

// AuthorizeResult is one step of an /Authorize flow. It carries the flow's authorize token, which never leaves it:
// only Client.AnswerMFA uses it again, once per MFA round, so a token cannot be reused across flows or rounds.
type AuthorizeResult struct {
	// Response is the body Flinks sent, for display.
	Response  AuthorizeResponse
	state     AuthorizeState
	requestID string
	round     int
	token     string
	loginID   string // redacted from the follow-up's records
	live      bool   // the flow reaches the bank (see APIError.Live)
	answered  atomic.Bool
}

// State says what to do next.
func (r *AuthorizeResult) State() AuthorizeState { return r.state }

// RequestID is the RequestId to fetch data with (Authorized), answer with (NeedsMFA) or poll with (Pending).
func (r *AuthorizeResult) RequestID() string { return r.requestID }

// Challenges are the security questions to answer when State is NeedsMFA. Show the Prompt of every challenge,
// whatever its Type.
func (r *AuthorizeResult) Challenges() []SecurityChallenge {
	if r.state != NeedsMFA {
		return nil
	}
	return append([]SecurityChallenge(nil), r.Response.SecurityChallenges...)
}

// Round counts the MFA answers sent so far in this flow.
func (r *AuthorizeResult) Round() int { return r.round }

// LoginID is the loginId Flinks returned (a direct login reveals it), or the one the flow started with.
func (r *AuthorizeResult) LoginID() string {
	if id := loginIDOf(r.Response.Login); id != "" {
		return id
	}
	return r.loginID
}

// Authorize starts an /Authorize flow with a fresh authorize token (generated here, never the secret key). The
// result is Authorized, NeedsMFA (continue with AnswerMFA) or Pending (poll with WaitForAccountsDetail); any other
// answer is an error. A token is never sent twice. A live /Authorize (Live, or a direct login) is sent once: it may
// have reached the bank. A cached one that failed in transit, answered 5xx, or whose answer was cut off or
// malformed is redone with a new token, with backoff, inside ctx's deadline (retry.go).
func (c *Client) Authorize(ctx context.Context, req AuthorizeRequest) (*AuthorizeResult, error) {
	if err := req.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", endpointAuthorize, err)
	}
	// A direct login and a live /Authorize reach the bank (and so does every MFA answer of their flow).
	live := req.Live || req.LoginID == ""
	for round := 1; ; round++ {
		token, err := c.GenerateAuthorizeToken(ctx)
		if err != nil {
			return nil, err
		}
		res, err := c.sendAuthorize(ctx, newAuthorizeBody(req), live, token, req.LoginID, 0, req.Username, req.Password)
		if err != nil && ctx.Err() != nil {
			return nil, stopped(ctx, err, round)
		}
		if err == nil || !redoable(err) {
			return res, retried(err, round)
		}
		if live {
			return nil, fmt.Errorf("%w; a live /Authorize may have reached the bank, so it is not repeated: start again", err)
		}
		if err := c.backoff(ctx, endpointAuthorize, round, 0, err); err != nil {
			return nil, err
		}
	}
}

// AnswerMFA answers the challenges of prev (State NeedsMFA) with the same token and RequestId, and returns the next
// step: Authorized, another NeedsMFA round, or Pending. answers maps each prompt, exactly as shown, to its answers.
// A round can be answered once: answering prev again is an error, whatever happened to the first answer.
func (c *Client) AnswerMFA(ctx context.Context, prev *AuthorizeResult, answers map[string][]string) (*AuthorizeResult, error) {
	if prev == nil || prev.state != NeedsMFA {
		state := "nil"
		if prev != nil {
			state = prev.state.String()
		}
		return nil, fmt.Errorf("%s: there is no security question to answer (the flow is %s)", endpointAuthorize, state)
	}
	if err := checkAnswers(prev.Response.SecurityChallenges, answers); err != nil {
		return nil, fmt.Errorf("%s: %w", endpointAuthorize, err)
	}
	if !prev.answered.CompareAndSwap(false, true) {
		return nil, fmt.Errorf("%s: this MFA round was already answered; continue from the result AnswerMFA returned, or start a new Authorize", endpointAuthorize)
	}
	body := authorizeBody{RequestId: prev.requestID, SecurityResponses: answers}
	var secretAnswers []string
	for _, list := range answers {
		secretAnswers = append(secretAnswers, list...)
	}
	return c.sendAuthorize(ctx, body, prev.live, prev.token, prev.loginID, prev.round+1, secretAnswers...)
}

// checkAnswers refuses answers Flinks would refuse (SECURITYRESPONSES_INCOMPLETE, UNKNOWN_CHALLENGE_KEY) before the
// round is spent.
func checkAnswers(challenges []SecurityChallenge, answers map[string][]string) error {
	asked := map[string]bool{}
	var missing []string
	for _, ch := range challenges {
		asked[ch.Prompt] = true
		if !hasAnswer(answers[ch.Prompt]) {
			missing = append(missing, fmt.Sprintf("%q", ch.Prompt))
		}
	}
	var unknown []string
	for prompt := range answers {
		if !asked[prompt] {
			unknown = append(unknown, fmt.Sprintf("%q", prompt))
		}
	}
	sort.Strings(unknown)
	switch {
	case len(missing) > 0:
		return fmt.Errorf("answer every security question before sending; unanswered: %s", strings.Join(missing, ", "))
	case len(unknown) > 0:
		return fmt.Errorf("these answers match no question Flinks asked (the prompt must be copied exactly): %s", strings.Join(unknown, ", "))
	}
	return nil
}

func hasAnswer(answers []string) bool {
	for _, a := range answers {
		if strings.TrimSpace(a) != "" {
			return true
		}
	}
	return false
}

// sendAuthorizeOnce posts one /Authorize (or /AuthorizeAsync) body with token and turns the answer into the next
// step.
func (c *Client) sendAuthorizeOnce(ctx context.Context, body authorizeBody, live bool, token, loginID string, round int, secrets ...string) (*AuthorizeResult, error) {
	var out AuthorizeResponse
	cl := &call{endpoint: c.authorizeEndpoint(), method: http.MethodPost, path: c.bankingPath(c.authorizeEndpoint()),
		auth: authToken, token: token, body: body, retry: retryIfUnsent, secrets: append([]string{loginID}, secrets...)}
	ans, err := c.do(ctx, cl, &out)
	if err == nil {
		var state AuthorizeState
		if state, err = classifyAuthorize(ans.status, &out, c.secrets(cl)...); err == nil {
			return &AuthorizeResult{Response: out, state: state, requestID: out.RequestId, round: round, token: token,
				loginID: loginID, live: live}, nil
		}
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		apiErr.Live = live
	}
	return nil, err
}

// classifyAuthorize reads a 2xx /Authorize answer. Flinks repeats the status in the body, and the FlinksCode is
// what counts (docs/flinks-contract.md, "Errors"), so a 2xx carrying an error code is still an error.
func classifyAuthorize(status int, out *AuthorizeResponse, secrets ...string) (AuthorizeState, error) {
	pending := out.FlinksCode == CodeOperationPending || out.FlinksCode == CodeOperationDispatched
	var state AuthorizeState
	switch {
	case status == http.StatusNonAuthoritativeInfo || len(out.SecurityChallenges) > 0:
		if len(out.SecurityChallenges) == 0 {
			return 0, fmt.Errorf("%s: Flinks asked for MFA (203) but sent no security question", endpointAuthorize)
		}
		state = NeedsMFA
	case status == http.StatusAccepted || pending:
		state = Pending
	case status == http.StatusOK && out.FlinksCode == "":
		state = Authorized
	case out.FlinksCode != "":
		return 0, newAPIError(endpointAuthorize, max(status, out.HttpStatusCode), out.FlinksCode, out.Message,
			out.RequestId, secrets...)
	default:
		return 0, fmt.Errorf("%s: unexpected answer %d %s", endpointAuthorize, status, http.StatusText(status))
	}
	if out.RequestId == "" {
		return 0, fmt.Errorf("%s: Flinks answered %d without a RequestId, so the flow cannot continue", endpointAuthorize, status)
	}
	return state, nil
}

// OAuthParams are the query parameters of Custom OAuth's first step (docs/flinks-contract.md, "Custom OAuth").
type OAuthParams struct {
	InstitutionID string
	RedirectURI   string
	State         string // random, checked on the way back
	Lang          string // en or fr
	Tag           string
}

// OAuthAuthorize asks Flinks where to send the user for a Custom OAuth login and returns that Location without
// following it. Anything but a redirect with a Location is an error; a 200 HTML page (the other documented answer)
// is an error here too: use OAuthStart, which accepts both.
func (c *Client) OAuthAuthorize(ctx context.Context, p OAuthParams) (string, error) {
	start, err := c.OAuthStart(ctx, p)
	if err != nil {
		return "", err
	}
	if start.Location == "" {
		return "", fmt.Errorf("%s: Flinks answered with a page to show in the browser rather than a redirect; use OAuthStart", endpointOAuthAuthorize)
	}
	return start.Location, nil
}

// OAuthStartAnswer is where Custom OAuth's first step sends the user: either Location (a 302 to the bank, as
// documented) or Page (a 200 HTML page whose form auto-submits to Flinks' open-banking agent, as the reference
// page's Toolbox example answers; docs/flinks-contract.md, "Custom OAuth"). Page already carries a <base href> set
// to PageBase, the URL Flinks answered from, so relative URLs in it resolve against Flinks when the page is served
// from elsewhere (the loopback).
type OAuthStartAnswer struct {
	Location string
	Page     []byte
	PageBase string
}

// OAuthStart sends GET /v3/oauth/authorize and accepts both documented answers: a redirect (Location) or a 200
// text/html page (Page). Anything else is an error.
func (c *Client) OAuthStart(ctx context.Context, p OAuthParams) (*OAuthStartAnswer, error) {
	if p.InstitutionID == "" || p.RedirectURI == "" || p.State == "" {
		return nil, fmt.Errorf("%s: the institution, the redirect URI and the state are all required", endpointOAuthAuthorize)
	}
	q := url.Values{"institution_id": {p.InstitutionID}, "redirect_uri": {p.RedirectURI}, "state": {p.State}}
	if p.Lang != "" {
		q.Set("lang", p.Lang)
	}
	if p.Tag != "" {
		q.Set("tag", p.Tag)
	}
	cl := &call{endpoint: endpointOAuthAuthorize, method: http.MethodGet, path: "/v3/oauth/authorize", query: q,
		retry: retryReads, secrets: []string{p.State}, wantsRedirect: true}
	ans, err := c.do(ctx, cl, nil)
	if err != nil {
		return nil, err
	}
	base, _ := url.Parse(c.baseURL + cl.path)
	mediaType, _, _ := mime.ParseMediaType(ans.header.Get("Content-Type"))
	location := ans.header.Get("Location")
	switch {
	case ans.status >= 300 && ans.status < 400 && location != "":
		target, err := base.Parse(location)
		if err != nil {
			return nil, fmt.Errorf("%s: Flinks redirected to an unreadable Location", endpointOAuthAuthorize)
		}
		return &OAuthStartAnswer{Location: target.String()}, nil
	case ans.status == http.StatusOK && mediaType == "text/html" && len(bytes.TrimSpace(ans.body)) > 0:
		if len(ans.body) >= maxRecordedBody {
			return nil, fmt.Errorf("%s: Flinks answered with a page larger than %d KiB, which is not the documented auto-submit form", endpointOAuthAuthorize, maxRecordedBody>>10)
		}
		pageBase := base.String()
		return &OAuthStartAnswer{Page: withBaseHref(ans.body, pageBase), PageBase: pageBase}, nil
	}
	return nil, fmt.Errorf("%s: Flinks answered %d %s instead of a redirect to the bank or the page that leads there; is Custom OAuth enabled for this instance? (ask your Flinks representative)",
		endpointOAuthAuthorize, ans.status, http.StatusText(ans.status))
}

var (
	baseTag = regexp.MustCompile(`(?i)<base[\s>]`)
	headTag = regexp.MustCompile(`(?i)<head(\s[^>]*)?>`)
	htmlTag = regexp.MustCompile(`(?i)<html(\s[^>]*)?>`)
)

// withBaseHref puts <base href="base"> at the start of page's head, unless the page has its own <base>.
func withBaseHref(page []byte, base string) []byte {
	if baseTag.Match(page) {
		return page
	}
	tag := []byte(`<base href="` + html.EscapeString(base) + `">`)
	for _, re := range []*regexp.Regexp{headTag, htmlTag} {
		if loc := re.FindIndex(page); loc != nil {
			out := append([]byte{}, page[:loc[1]]...)
			out = append(out, tag...)
			return append(out, page[loc[1]:]...)
		}
	}
	return append(tag, page...)
}

// DeleteCard deletes every piece of data behind loginID. Its success body is not documented, so any 2xx succeeds,
// except a body that says the loginId is invalid (as an old client observed). CARD_IN_USE comes back as an *APIError.
//
// It is not retried after a 5xx: although a DELETE is idempotent, a repeat after a deletion that did happen answers
// INVALID_LOGIN, which would tell the user the loginId never existed. The user presses Delete again instead.
func (c *Client) DeleteCard(ctx context.Context, loginID string) error {
	if err := ValidateLoginID(loginID); err != nil {
		return fmt.Errorf("%s: %w", endpointDeleteCard, err)
	}
	cl := &call{endpoint: endpointDeleteCard, method: http.MethodDelete, path: c.bankingPath(endpointDeleteCard, loginID),
		auth: authAPIKey, retry: retryIfUnsent, secrets: []string{loginID}}
	ans, err := c.do(ctx, cl, nil)
	if err != nil {
		return err
	}
	var body errorBody
	if json.Unmarshal(ans.body, &body) == nil && body.FlinksCode != "" && body.HttpStatusCode >= 400 {
		return parseError(endpointDeleteCard, body.HttpStatusCode, ans.body, c.secrets(cl)...)
	}
	if strings.Contains(strings.ToLower(string(ans.body)), "invalid loginid") {
		return &APIError{HTTPStatus: ans.status, FlinksCode: CodeInvalidLogin, Endpoint: endpointDeleteCard,
			Message: "Flinks answered that the loginId is invalid"}
	}
	return nil
}
