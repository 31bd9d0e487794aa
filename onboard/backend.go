package onboard

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"flinks-onboard/backend"
	"flinks-onboard/flinks"
)

// BackendRequest is what the starter back end is written for: the environment it will talk to, the language,
// the product and Connect's parameters (as the link step chose them; the back end adds its own token and
// redirectUrl).
type BackendRequest struct {
	Env      flinks.Environment
	Language backend.Language
	Product  flinks.Product
	Connect  flinks.ConnectOptions
}

// BackendSetting is one environment variable the generated back end reads. Secret ones have no Value unless
// Flinks publishes it (the Toolbox): the person sets them from their own records, and no file holds them.
type BackendSetting struct {
	Name   string
	Value  string
	Secret bool
	// Hint says where the value comes from when the app cannot know it (the Express link).
	Hint string
}

// SecretComment is the comment of an export line for a secret the person sets themselves (ExportLine).
const SecretComment = "secret: set it from your Flinks records, never in a file"

// ExportLine is s as a line of a POSIX shell, the same for both front ends: the value quoted, or, when the person
// sets it, "..." and a comment: secretComment for a secret with no published value (SecretComment, or its
// translation), hintComment for a value the app cannot know (s.Hint, or its translation). A secret's value is shown
// only when Flinks publishes it (the Toolbox's).
func (s BackendSetting) ExportLine(secretComment, hintComment string) string {
	switch {
	case s.Secret && s.Value == "":
		return "export " + s.Name + "=...   # " + secretComment
	case s.Value == "" && hintComment != "":
		return "export " + s.Name + "=...   # " + hintComment
	}
	return "export " + s.Name + "=" + ShellQuote(s.Value)
}

// Backend is what WriteBackend wrote and what to set before running it.
type Backend struct {
	Files    []string
	Settings []BackendSetting
	// Note is set for the offline demo: its simulator's address changes with each start, so the person starts
	// flinks-onboard simulate and takes the URLs it prints.
	Note string
}

// WriteBackend writes the starter back end for req into dir (a new or empty folder) and returns the settings to
// export for req.Env. Written once here for both front ends.
func WriteBackend(dir string, req BackendRequest) (*Backend, error) {
	if err := CheckBackend(req); err != nil {
		return nil, err
	}
	query, err := req.Connect.Query()
	if err != nil {
		return nil, err
	}
	files, err := backend.Write(dir, backend.Options{Language: req.Language, Product: req.Product,
		ConnectQuery: query, Production: req.Env.IsProduction()})
	if err != nil {
		return nil, err
	}
	return &Backend{Files: files, Settings: backendSettings(req.Env, req.Product), Note: backendNote(req.Env)}, nil
}

// ErrTagForExpress refuses a tag for an Express back end: Flinks documents none for Express, and the project would
// drop it.
//
//lint:ignore ST1005 it starts with a name, and is the CLI's --tag message as it was
var ErrTagForExpress = errors.New("Flinks does not document a tag for Express: leave it empty")

// ConnectOnlyError refuses Connect's parameters for a back end of another product: its project would ignore them
// (Express takes only demo and language, Custom OAuth also the tag; backend.templateData).
type ConnectOnlyError struct {
	Product flinks.Product
	Params  []string // the query's names, as flinks.ConnectOptions.Query writes them
}

func (e ConnectOnlyError) Error() string {
	return fmt.Sprintf("%s: for Connect only; the %s back end would ignore them", strings.Join(e.Params, ", "), e.Product)
}

// CheckBackend says whether WriteBackend can write req, before a folder is chosen: a language and product whose
// project exists, and Connect's parameters that the product's project uses. The rules are here, not in a front
// end, so that the command and the app refuse the same choices rather than write a project that ignores them.
func CheckBackend(req BackendRequest) error {
	if err := (backend.Options{Language: req.Language, Product: req.Product}).Check(); err != nil {
		return err
	}
	if req.Product == flinks.ProductConnect {
		return nil
	}
	if req.Product == flinks.ProductExpress && req.Connect.Tag != "" {
		return ErrTagForExpress
	}
	// Connect's own parameters are those that differ from the app's defaults (the link command's and the Link
	// screen's: DefaultConnectOptions, which already sends oauthWindowRedirect), demo, language and tag aside.
	base := flinks.DefaultConnectOptions(req.Env)
	base.Demo, base.Language, base.Tag = req.Connect.Demo, req.Connect.Language, req.Connect.Tag
	chosen, err := queryValues(req.Connect)
	if err != nil {
		return err
	}
	defaults, err := queryValues(base)
	if err != nil {
		return err
	}
	var connectOnly []string
	for name := range chosen {
		if !slices.Equal(chosen[name], defaults[name]) {
			connectOnly = append(connectOnly, name)
		}
	}
	for name := range defaults {
		if _, kept := chosen[name]; !kept {
			connectOnly = append(connectOnly, name) // a default turned off, such as --no-oauth-redirect
		}
	}
	if len(connectOnly) > 0 {
		slices.Sort(connectOnly)
		return ConnectOnlyError{Product: req.Product, Params: connectOnly}
	}
	return nil
}

func queryValues(o flinks.ConnectOptions) (url.Values, error) {
	query, err := o.Query()
	if err != nil {
		return nil, err
	}
	return url.ParseQuery(query)
}

func backendSettings(env flinks.Environment, product flinks.Product) []BackendSetting {
	api, iframe := env.APIBaseURL(), env.IframeURL()
	secret, apiKey := "", ""
	if env.Kind == flinks.KindToolbox {
		secret, apiKey = flinks.ToolboxSecretKey, flinks.ToolboxAPIKey // published by Flinks
	}
	if env.Kind == flinks.KindDemo {
		api, iframe = "URL_PRINTED_BY_SIMULATE", "URL_PRINTED_BY_SIMULATE/v2/"
		secret, apiKey = flinks.ToolboxSecretKey, flinks.ToolboxAPIKey // the simulator takes the Toolbox's keys
	}
	settings := []BackendSetting{{Name: "FLINKS_API_URL", Value: api}}
	switch product { // each product's page needs its own address (docs/backend.md, "Configuration")
	case flinks.ProductConnect:
		settings = append(settings, BackendSetting{Name: "FLINKS_IFRAME_URL", Value: iframe})
	case flinks.ProductExpress:
		settings = append(settings, BackendSetting{Name: "FLINKS_EXPRESS_URL",
			Hint: "the Express link your Flinks representative sent"})
	}
	return append(settings,
		BackendSetting{Name: "FLINKS_CUSTOMER_ID", Value: env.CustomerID},
		BackendSetting{Name: "FLINKS_SECRET_KEY", Value: secret, Secret: true},
		BackendSetting{Name: "FLINKS_API_KEY", Value: apiKey, Secret: true},
		BackendSetting{Name: "FLINKS_WEBHOOK_SECRET", Secret: true},
		BackendSetting{Name: "PORT", Value: "8080"},
	)
}

func backendNote(env flinks.Environment) string {
	if env.Kind != flinks.KindDemo {
		return ""
	}
	return fmt.Sprintf("%s is the offline simulator: start flinks-onboard simulate, use the API URL and customerId it "+
		"prints, and add FLINKS_POLL_INTERVAL with the interval it declares.", env.Name)
}

// ShellQuote quotes s for a POSIX shell when it holds anything but plain URL and id characters: the export lines
// and the cd both front ends print for the written project.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
