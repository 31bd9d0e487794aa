// Package flinks holds everything the app knows about Flinks: environments, URL builders, the API client, typed
// errors with plain-language hints, polling, the loopback callback server and the use cases shared by the GUI and
// the command line. It never imports Fyne.
package flinks

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Kind says what sort of Flinks environment this is; it decides defaults such as demo=true and the production badge.
type Kind string

const (
	KindToolbox    Kind = "toolbox"    // the public API sandbox Flinks publishes
	KindSandbox    Kind = "sandbox"    // a private sandbox instance
	KindProduction Kind = "production" // a private production instance: live requests are billed
	KindDemo       Kind = "demo"       // the built-in offline simulator
)

// Kinds lists the kinds in the order the app offers them.
var Kinds = []Kind{KindToolbox, KindSandbox, KindProduction, KindDemo}

// Names of the built-in environments; they cannot be edited or removed.
const (
	ToolboxName     = "Flinks Toolbox"
	OfflineDemoName = "Offline demo"
)

// The public Toolbox credentials, published by Flinks for anyone to test with (docs/flinks-contract.md, "Environments").
const (
	ToolboxInstance   = "toolbox"
	ToolboxCustomerID = "43387ca6-0391-4c82-857d-70d95f087ecb"
	ToolboxSecretKey  = "c4569c54-e167-4d34-8de6-f4113bc82414"
	ToolboxAPIKey     = "3d5266a8-b697-48d4-8de6-52e2e2662acc"
)

// Environment is one Flinks instance as the user configured it. It holds no secret: the secret key and x-api-key
// live in the OS keychain, keyed by Key().
type Environment struct {
	Name       string `json:"name"`
	Kind       Kind   `json:"kind"`
	Country    string `json:"country"`              // CA or US
	Instance   string `json:"instance,omitempty"`   // e.g. "toolbox" → https://toolbox-api.private.fin.ag
	APIBase    string `json:"apiBase,omitempty"`    // explicit API base URL, overrides Instance
	IframeBase string `json:"iframeBase,omitempty"` // explicit Connect iframe URL, overrides Instance
	CustomerID string `json:"customerId"`
	BuiltIn    bool   `json:"builtIn,omitempty"`

	// PollInterval is how long the client waits after every 202 before polling the Async endpoint again, the first
	// one included. Zero means DefaultPollInterval, the 10 s Flinks documents (docs/flinks-contract.md, "Polling
	// cadence"). The built-in Offline demo declares the simulator's short interval. A user-added environment may
	// lower it below 10 s only with FastPolling, which says that this goes against Flinks' guidance; Validate
	// refuses anything else (MinPollInterval..MaxPollInterval).
	PollInterval time.Duration `json:"pollInterval,omitempty"`
	// FastPolling allows a PollInterval under 10 s on a user-added environment: against Flinks' guidance (their
	// instance may answer TOO_MANY_REQUESTS), for a private stand-in such as a local simulator.
	FastPolling bool `json:"fastPolling,omitempty"`
	// AuthorizeAsync sends the /Authorize calls to /AuthorizeAsync, which Flinks switches on per instance: it
	// answers 202 and is polled for 203 (questions) or 200 (flinks/authorize_async.go).
	AuthorizeAsync bool `json:"authorizeAsync,omitempty"`
}

// Poll intervals (docs/flinks-contract.md, "Polling cadence").
const (
	// DefaultPollInterval is Flinks' documented wait after a 202: "wait 10 seconds and call again".
	DefaultPollInterval = 10 * time.Second
	// MinPollInterval is the shortest interval a user-added environment may declare, with FastPolling.
	MinPollInterval = 100 * time.Millisecond
	// MaxPollInterval is the longest interval any environment may declare.
	MaxPollInterval = 5 * time.Minute
)

// EffectivePollInterval is the interval the client waits between two Async polls in this environment: the
// documented 10 s unless the environment declares another one it is allowed to use (the built-in demo, or
// FastPolling). An interval under 10 s without FastPolling on a non-demo environment is ignored.
func (e Environment) EffectivePollInterval() time.Duration {
	switch d := e.PollInterval; {
	case d <= 0:
		return DefaultPollInterval
	case d > MaxPollInterval:
		return MaxPollInterval
	case d < DefaultPollInterval && e.Kind != KindDemo && !e.FastPolling:
		return DefaultPollInterval
	case d < MinPollInterval:
		return MinPollInterval
	default:
		return d
	}
}

// Credentials are the two secrets of an environment. They only ever travel between the keychain and the client.
type Credentials struct {
	SecretKey string // for GenerateAuthorizeToken
	APIKey    string // x-api-key, for the data endpoints
}

// Toolbox is the public Flinks sandbox.
func Toolbox() Environment {
	return Environment{Name: ToolboxName, Kind: KindToolbox, Country: "CA", Instance: ToolboxInstance,
		CustomerID: ToolboxCustomerID, BuiltIn: true}
}

// ToolboxCredentials are the published Toolbox keys.
func ToolboxCredentials() Credentials {
	return Credentials{SecretKey: ToolboxSecretKey, APIKey: ToolboxAPIKey}
}

// OfflineDemo is served by the built-in simulator; its base URLs are filled in when the simulator starts.
func OfflineDemo() Environment {
	return Environment{Name: OfflineDemoName, Kind: KindDemo, Country: "CA", CustomerID: ToolboxCustomerID,
		BuiltIn: true}
}

// BuiltIns returns the environments every installation has.
func BuiltIns() []Environment { return []Environment{Toolbox(), OfflineDemo()} }

// IsProduction reports whether requests to this environment reach real banks and are billed.
func (e Environment) IsProduction() bool { return e.Kind == KindProduction }

// IsSandbox reports whether Connect must carry demo=true here.
func (e Environment) IsSandbox() bool { return e.Kind != KindProduction }

// APIBaseURL is the root of the API, without a trailing slash.
func (e Environment) APIBaseURL() string {
	if e.APIBase != "" {
		return strings.TrimRight(e.APIBase, "/")
	}
	if e.Instance == "" {
		return ""
	}
	return "https://" + e.Instance + "-api.private.fin.ag"
}

// IframeURL is the Connect iframe URL (the /v2/ design).
func (e Environment) IframeURL() string {
	if e.IframeBase != "" {
		return e.IframeBase
	}
	if e.Instance == "" {
		return ""
	}
	return "https://" + e.Instance + "-iframe.private.fin.ag/v2/"
}

// BankingURL is the URL of a BankingServices endpoint, e.g. BankingURL("Authorize").
func (e Environment) BankingURL(endpoint string) string {
	return e.APIBaseURL() + "/v3/" + e.CustomerID + "/BankingServices/" + endpoint
}

// Key names the environment in the keychain and in the index of saved logins. It is derived from the API base and
// the customerId, so two environments that point at the same instance share their logins (a loginId only works on
// the instance that issued it), and an ad-hoc environment given on the command line finds what it saved before.
func (e Environment) Key() string {
	if e.Kind == KindDemo {
		return "demo:" + e.CustomerID // the simulator's port changes on every start
	}
	return e.APIBaseURL() + "|" + e.CustomerID
}

// FieldError is one invalid field of an environment, with a message that says what to type instead. Code names
// the problem and Args its values, in the order the message gives them, so the GUI can word it in the user's
// language (ui/texts_env.go).
type FieldError struct {
	Field   string // "name", "instance", "apiBase", "iframeBase", "customerId", "secretKey", "apiKey", "country", "kind", "pollInterval"
	Message string
	Code    string   `json:"-"` // such as "name-required", "instance-format", "url-userinfo", "poll-interval-range"
	Args    []string `json:"-"`
}

func (f FieldError) Error() string { return f.Field + ": " + f.Message }

// ValidationError lists every invalid field at once, so a form can mark them all.
type ValidationError []FieldError

func (v ValidationError) Error() string {
	parts := make([]string, len(v))
	for i, f := range v {
		parts[i] = f.Message
	}
	return strings.Join(parts, "; ")
}

// add appends the error of field: its message, and its code with the values in the message, for a front end that
// words it in another language.
func (v *ValidationError) add(field, code, msg string, args ...any) {
	f := FieldError{Field: field, Message: msg, Code: code}
	for _, a := range args {
		f.Args = append(f.Args, fmt.Sprint(a))
	}
	*v = append(*v, f)
}

// For returns the message for one field, or "".
func (v ValidationError) For(field string) string {
	f, _ := v.Find(field)
	return f.Message
}

// Find returns the error of one field.
func (v ValidationError) Find(field string) (FieldError, bool) {
	for _, f := range v {
		if f.Field == field {
			return f, true
		}
	}
	return FieldError{}, false
}

// URLError is a base URL ValidateBaseURL refused. Code says why: "not-url", "userinfo", "bad-port",
// "http-not-loopback" or "query"; URL is the URL as a message may quote it (without user info).
type URLError struct {
	Code, URL string
	msg       string
}

func (e *URLError) Error() string { return e.msg }

func urlError(code, shown, format string) *URLError {
	return &URLError{Code: code, URL: shown, msg: fmt.Sprintf(format, shown)}
}

var (
	instancePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	uuidPattern     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	secretPattern   = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z-]{7,127}$`)
)

// IsUUID reports whether s is a UUID such as a customerId or a loginId.
func IsUUID(s string) bool { return uuidPattern.MatchString(s) }

// NewUUID returns a random version-4 UUID: the made-up loginIds, RequestIds and account ids of the go-live checks
// and of the webhooks webhook.Send posts.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// ValidateInstance checks an instance name: lower-case letters, digits and hyphens.
func ValidateInstance(s string) error {
	if !instancePattern.MatchString(s) {
		return fmt.Errorf("instance %q must use only lower-case letters, digits and hyphens, like \"toolbox\" or \"acme-ca\"", s)
	}
	return nil
}

// ValidateBaseURL accepts https URLs, and plain http only on the loopback (the simulator). It refuses user info
// (http://user:password@host: Flinks takes its keys in headers, and a password there would be saved in the settings
// and shown in messages) and an empty or zero port (http://127.0.0.1: would quietly go to port 80). Its messages
// never repeat the user info.
func ValidateBaseURL(raw string) error {
	shown := WithoutUserinfo(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return urlError("not-url", shown, "%q is not a URL; type it as https://host[/path]")
	}
	if err := checkAuthority(u, shown); err != nil {
		return err
	}
	if u.Scheme == "http" && !IsLoopbackHost(u.Hostname()) {
		return urlError("http-not-loopback", shown, "%q uses plain http; Flinks requires https (http is only allowed for 127.0.0.1 or localhost)")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return urlError("query", shown, "%q has a query or fragment; give only the base URL")
	}
	return nil
}

// checkAuthority refuses user info and an empty or zero port in u; shown is the URL as a message may quote it.
func checkAuthority(u *url.URL, shown string) error {
	if u.User != nil {
		return urlError("userinfo", shown, "%q has a user name or password before the host (user:password@); remove it: Flinks takes its keys in headers, and the app keeps them in the keychain, never in a URL")
	}
	if strings.HasSuffix(u.Host, ":") || u.Port() == "0" || (u.Port() != "" && !validPort(u.Port())) {
		return urlError("bad-port", shown, "%q has an empty or invalid port after the colon; give the port (such as http://127.0.0.1:8080) or remove the colon")
	}
	return nil
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n > 0 && n <= 65535
}

// WithoutUserinfo is raw with any user info (user:password@) before the host replaced by "…@", so a message can
// quote a URL someone typed without repeating a password. It works on text that does not parse as a URL too.
func WithoutUserinfo(raw string) string {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + 3
	}
	end := len(raw)
	if i := strings.IndexAny(raw[start:], "/?#"); i >= 0 {
		end = start + i
	}
	if at := strings.LastIndexByte(raw[start:end], '@'); at >= 0 {
		return raw[:start] + "…@" + raw[start+at+1:]
	}
	return raw
}

// IsLoopbackHost reports whether h names this computer: 127.0.0.1, ::1 or localhost.
func IsLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Validate checks a user-defined environment and its credentials; it returns a ValidationError naming every bad
// field. Built-in environments are always valid.
func (e Environment) Validate(creds Credentials) error {
	if e.BuiltIn {
		return nil
	}
	var v ValidationError
	add := v.add
	addURL := func(field string, err error) {
		var u *URLError
		if errors.As(err, &u) {
			add(field, "url-"+u.Code, err.Error()+".", u.URL)
		} else {
			add(field, "", err.Error()+".")
		}
	}
	if strings.TrimSpace(e.Name) == "" {
		add("name", "name-required", "Give the environment a name, e.g. \"Acme sandbox\".")
	}
	switch e.Kind {
	case KindSandbox, KindProduction:
	default:
		add("kind", "kind", "Choose sandbox or production.")
	}
	if e.Country != "CA" && e.Country != "US" {
		add("country", "country", "Choose the country of the instance: CA or US.")
	}
	if e.APIBase == "" && e.Instance == "" {
		add("instance", "instance-required", "Type the instance name (the part before -api.private.fin.ag) or an explicit API URL.")
	}
	if e.Instance != "" {
		if ValidateInstance(e.Instance) != nil { // a sentence of the form: a capital, a full stop
			add("instance", "instance-format", fmt.Sprintf("The instance name %q must use only lower-case letters, digits and hyphens, like \"toolbox\" or \"acme-ca\".", e.Instance), e.Instance)
		}
	}
	if e.APIBase != "" {
		if err := ValidateBaseURL(e.APIBase); err != nil {
			addURL("apiBase", err)
		}
	}
	if e.IframeBase != "" {
		if err := ValidateBaseURL(e.IframeBase); err != nil {
			addURL("iframeBase", err)
		}
	}
	if !IsUUID(e.CustomerID) {
		add("customerId", "customer-id-uuid", "The customerId must be a UUID like 43387ca6-0391-4c82-857d-70d95f087ecb (see the Flinks Dashboard).")
	}
	if !secretPattern.MatchString(creds.SecretKey) {
		add("secretKey", "secret-key-format", "The secret key must be the UUID-like key from the Flinks Dashboard (letters, digits, hyphens).")
	}
	if !secretPattern.MatchString(creds.APIKey) {
		add("apiKey", "api-key-format", "The x-api-key must be the UUID-like key from the Flinks Dashboard (letters, digits, hyphens).")
	}
	switch d := e.PollInterval; {
	case d < 0 || d > MaxPollInterval:
		add("pollInterval", "poll-interval-range", fmt.Sprintf("The poll interval must be between %v and %v, or 0 for Flinks' documented %v.",
			MinPollInterval, MaxPollInterval, DefaultPollInterval), MinPollInterval, MaxPollInterval, DefaultPollInterval)
	case d > 0 && d < DefaultPollInterval && !e.FastPolling:
		add("pollInterval", "poll-interval-faster", fmt.Sprintf("Flinks asks to wait %v between two polls; a shorter interval (%v) goes against its guidance and may be rate-limited (TOO_MANY_REQUESTS). Tick \"poll faster than Flinks advises\" (fastPolling) to use it anyway.",
			DefaultPollInterval, d), DefaultPollInterval, d)
	case d > 0 && d < MinPollInterval:
		add("pollInterval", "poll-interval-min", fmt.Sprintf("The poll interval cannot be shorter than %v.", MinPollInterval), MinPollInterval)
	case d > 0 && d < DefaultPollInterval && e.IsProduction():
		add("pollInterval", "poll-interval-production", fmt.Sprintf("A production environment polls at Flinks' documented %v at least.", DefaultPollInterval), DefaultPollInterval)
	}
	if e.IsProduction() && e.Instance == ToolboxInstance {
		add("instance", "production-toolbox", "A production environment cannot point at the public Toolbox; use your private instance.")
	}
	if len(v) > 0 {
		return v
	}
	return nil
}

// ErrUnknownEnvironment is returned when a name matches no environment.
var ErrUnknownEnvironment = errors.New("unknown environment")
