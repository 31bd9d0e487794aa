package flinks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Connect steps the app acts on (docs/flinks-contract.md, "Flinks Connect"). Every other step is only shown in the event log.
const (
	StepRedirect            = "REDIRECT"
	StepMaximumRetryReached = "MAXIMUM_RETRY_REACHED"
	StepDenyConsent         = "COMPONENT_DENY_CONSENT"
	StepDenyTerms           = "COMPONENT_DENY_TERMS"
	StepCloseSession        = "COMPONENT_CLOSE_SESSION"
	StepPopupBlocked        = "POPUP_BLOCKED"
)

// ConnectEvent is one event Flinks Connect posted to the page that embeds it. Raw keeps every field as sent, for
// the event log's details view; the named fields are the ones the app reads.
type ConnectEvent struct {
	Step        string // upper-case, e.g. "REDIRECT"
	Institution string
	FlinksCode  string
	RequestID   string
	LoginID     string // secret: show it only through Mask
	URL         string // the older REDIRECT shape carries the loginId in this URL's query
	// AccountIDs are the accounts the person chose in Connect's account selector (accountSelectorEnable): the
	// accountId of ACCOUNT_SELECTED and of the newer REDIRECT event, a string or, with accountSelectorMultiple, an
	// array; also read from the older REDIRECT's url (accountId, possibly repeated). Flinks says to keep them and
	// send them as AccountsFilter (docs/flinks-contract.md, "The account selector"). Not secrets.
	AccountIDs []string
	Raw        map[string]any
	Time       time.Time // when the app received it; ParseConnectEvent leaves it zero
}

// ErrNotConnectEvent is wrapped by every ParseConnectEvent error. The messages never quote the input, which can
// carry a loginId.
var ErrNotConnectEvent = errors.New("not a Flinks Connect event")

func notConnectEvent(reason string) error { return fmt.Errorf("%w: %s", ErrNotConnectEvent, reason) }

// ParseConnectEvent reads one Connect event: a JSON object with a "step", or, as Connect sends them with
// stringify=true, a JSON string that contains such an object. Field names are matched case-insensitively because
// the documentation is not consistent about them (loginId, LoginId).
func ParseConnectEvent(data []byte) (ConnectEvent, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var text string
		if err := json.Unmarshal(data, &text); err != nil {
			return ConnectEvent{}, notConnectEvent("the JSON string is malformed")
		}
		data = bytes.TrimSpace([]byte(text))
	}
	if len(data) == 0 || data[0] != '{' {
		return ConnectEvent{}, notConnectEvent("expected a JSON object")
	}
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber() // keep numbers as sent, for the details view
	var raw map[string]any
	if err := decoder.Decode(&raw); err != nil {
		return ConnectEvent{}, notConnectEvent("the JSON object is malformed")
	}
	if _, err := decoder.Token(); err != io.EOF {
		return ConnectEvent{}, notConnectEvent("unexpected data after the JSON object")
	}
	// The named fields are printed and saved: no control character from the page gets through (Printable), and
	// each is bounded. Raw keeps the values as sent, for the details view, which encodes them as JSON.
	event := ConnectEvent{
		Step:        Printable(strings.ToUpper(stringField(raw, "step")), 80),
		Institution: Printable(stringField(raw, "institution"), MaxInstitutionLength),
		FlinksCode:  Printable(stringField(raw, "flinksCode"), maxCodeLen),
		RequestID:   Printable(stringField(raw, "requestId"), 100),
		LoginID:     stringField(raw, "loginId"), // checked as a UUID before it is used
		URL:         Printable(stringField(raw, "url"), 2048),
		Raw:         raw,
	}
	event.AccountIDs = accountIDsField(raw)
	if len(event.AccountIDs) == 0 && event.URL != "" {
		if u, err := url.Parse(event.URL); err == nil {
			event.AccountIDs = AccountIDsFromQuery(u.Query())
		}
	}
	if event.Step == "" {
		return ConnectEvent{}, notConnectEvent(`it has no "step"`)
	}
	return event, nil
}

// stringField returns the trimmed text of a field, matching the name exactly first and then case-insensitively
// (the alphabetically first key wins, so the result never depends on map order). Numbers are returned as written;
// any other type counts as absent.
func stringField(raw map[string]any, name string) string {
	value, ok := raw[name]
	if !ok {
		var keys []string
		for key := range raw {
			if strings.EqualFold(key, name) {
				keys = append(keys, key)
			}
		}
		if len(keys) == 0 {
			return ""
		}
		value = raw[slices.Min(keys)]
	}
	switch v := value.(type) {
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return v.String()
	default:
		return ""
	}
}

// accountIDsField reads accountId (or accountIds) as a string, a number, or an array of them.
func accountIDsField(raw map[string]any) []string {
	var out []string
	for _, name := range []string{"accountId", "accountIds"} {
		value, ok := raw[name]
		if !ok {
			for key, v := range raw {
				if strings.EqualFold(key, name) {
					value, ok = v, true
					break
				}
			}
		}
		if !ok {
			continue
		}
		switch v := value.(type) {
		case []any:
			for _, item := range v {
				out = appendAccountID(out, stringField(map[string]any{"v": item}, "v"))
			}
		default:
			out = appendAccountID(out, stringField(map[string]any{"v": v}, "v"))
		}
	}
	return out
}

// AccountIDsFromQuery reads the accountId parameters of a redirect URL: repeated for several accounts, or one value
// with the ids separated by commas. Duplicates and empty values are dropped.
func AccountIDsFromQuery(q url.Values) []string {
	var out []string
	for _, key := range []string{"accountId", "accountIds", "AccountId"} {
		for _, value := range q[key] {
			for _, id := range strings.Split(value, ",") {
				out = appendAccountID(out, id)
			}
		}
	}
	return out
}

func appendAccountID(list []string, id string) []string {
	id = strings.TrimSpace(id)
	if id == "" || len(id) > 200 || slices.Contains(list, id) {
		return list
	}
	return append(list, id)
}

// LoginIDFromEvent returns the loginId a REDIRECT event carries: the loginId field (newer shape) or the loginId
// parameter of its url (older shape). It does not check that the value is a UUID.
func (e ConnectEvent) LoginIDFromEvent() (string, bool) {
	loginID, _, _ := e.RedirectDetails()
	return loginID, loginID != ""
}

// RedirectDetails reads the loginId, institution and tag from the event's fields, falling back to its url. The
// institution and the tag are Printable and bounded (MaxInstitutionLength, MaxTagLength).
func (e ConnectEvent) RedirectDetails() (loginID, institution, tag string) {
	var query url.Values // a nil Values answers "" to every Get
	if e.URL != "" {
		if u, err := url.Parse(e.URL); err == nil {
			query = u.Query()
		}
	}
	first := func(field, param string) string {
		if field != "" {
			return field
		}
		return strings.TrimSpace(query.Get(param))
	}
	// The url's query is decoded here, so %1B would come back as ESC: the texts are made printable again.
	return first(e.LoginID, "loginId"), Printable(first(e.Institution, "institution"), MaxInstitutionLength),
		Printable(first(stringField(e.Raw, "tag"), "tag"), MaxTagLength)
}

// terminalSteps are the steps after which Connect will not produce a loginId, each with what to tell the person.
var terminalSteps = map[string]string{
	StepMaximumRetryReached: "Connect stopped after too many failed login attempts; check the username and password, then start again",
	StepDenyConsent:         "the person declined the consent screen in Connect, so no account was linked; start again if that was a mistake",
	StepDenyTerms:           "the person declined the terms in Connect, so no account was linked; start again if that was a mistake",
	StepCloseSession:        "the person closed Connect before an account was linked; start again to link one",
}

// IsTerminal reports whether Connect has ended without a loginId.
func (e ConnectEvent) IsTerminal() bool {
	_, ok := terminalSteps[e.Step]
	return ok
}

// ConnectEndedError says Connect ended without linking an account (a terminal event).
type ConnectEndedError struct {
	Step        string
	Institution string
}

func (e *ConnectEndedError) Error() string {
	message, ok := terminalSteps[e.Step]
	if !ok {
		message = "Connect ended before an account was linked; start again"
	}
	if e.Institution != "" {
		message += " (institution: " + clip(e.Institution) + ")"
	}
	return message + " [" + clip(e.Step) + "]"
}

// stepDescriptions are the event log's plain-language lines, by step. Error steps are named after FlinksCodes.
var stepDescriptions = map[string]string{
	"APP_MOUNTED":                         "Connect loaded",
	"APP_ONLINE":                          "The browser is back online",
	"APP_OFFLINE":                         "The browser went offline",
	"APP_RESIZE":                          "Connect resized itself",
	"COMPONENT_LOAD_INSTITUTION_SELECTOR": "Showing the list of institutions",
	"INSTITUTION_SELECTED":                "Institution chosen",
	"COMPONENT_LOAD_CONSENT":              "Showing the consent screen",
	"COMPONENT_ACCEPT_CONSENT":            "Consent accepted",
	"COMPONENT_ACCEPT_PROVIDER_CONSENT":   "The bank's consent accepted",
	"COMPONENT_ACCEPT_TERMS":              "Terms accepted",
	"COMPONENT_CLICK_TERMS_URL":           "Opened the terms",
	"COMPONENT_CLICK_RESET_PASSWORD":      "Opened the bank's password reset",
	"COMPONENT_LOAD_CREDENTIAL":           "Asking for the bank username and password",
	"COMPONENT_LOAD_CREDENTIAL_RETRY":     "Asking for the username and password again",
	"SUBMIT_CREDENTIAL":                   "Username and password sent to the bank",
	"COMPONENT_LOAD_MFA":                  "The bank asks a security question",
	"COMPONENT_LOAD_MFA_RETRY":            "The bank asks the security question again",
	"SUBMIT_MFA":                          "Security answer sent",
	"COMPONENT_HELP2FA_INFO":              "Opened the help about security questions",
	"COMPONENT_HELP2FA_TROUBLESHOOTING":   "Opened the security-question troubleshooting",
	"COMPONENT_LOAD_ACCOUNT_SELECTION":    "Choosing the accounts to share",
	"ACCOUNT_SELECTED":                    "Account chosen",
	"POPUP_OPENED":                        "The bank's login window opened",
	StepPopupBlocked:                      "The browser blocked the bank's login window: allow pop-ups for this page, then try again",
	StepRedirect:                          "Finished: Connect handed back the loginId",
	StepMaximumRetryReached:               "Stopped: too many failed attempts",
	StepDenyConsent:                       "Stopped: consent declined",
	StepDenyTerms:                         "Stopped: terms declined",
	StepCloseSession:                      "Stopped: Connect was closed",
	"INVALID_USERNAME":                    "The bank refused the username",
	"INVALID_PASSWORD":                    "The bank refused the password",
	"INVALID_LOGIN":                       "The bank refused the login",
	"INVALID_SECURITY_RESPONSE":           "The security answer was wrong",
	"RETRY_LATER":                         "The bank could not be reached; try again later",
	"UNAUTHORIZED":                        "The institution did not authorize access: the person may need to complete steps on their bank's website (or the authorize token was not fresh)",
	"NEW_ACCOUNT":                         "The bank needs the person to act on their account first",
	"DISABLED_LOGIN":                      "The bank has disabled this login",
	"AGGREGATION_ERROR":                   "Flinks failed unexpectedly",
	"DISABLED_INSTITUTION":                "This institution is unavailable right now",
}

// Describe is the event's line in the app's event log: what happened, the institution and the FlinksCode when
// present, and a REDIRECT's loginId masked.
func (e ConnectEvent) Describe() string {
	text, known := stepDescriptions[e.Step]
	if !known {
		text = "Connect event " + clip(e.Step)
	}
	loginID, institution, _ := e.RedirectDetails()
	if e.Step == StepRedirect && loginID != "" {
		text += " (" + Mask(loginID) + ")"
	}
	if institution != "" {
		text += " — " + clip(institution)
	}
	if e.FlinksCode != "" && e.FlinksCode != e.Step {
		text += " [" + clip(e.FlinksCode) + "]"
	}
	return text
}

// clip keeps text that came from outside (an event, a URL, a form) short enough for a log line or a message.
func clip(s string) string { return Clip(s, 80) }

// Clip shortens s to limit runes, marking the cut with "…": for values from outside that go into a message.
func Clip(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}
