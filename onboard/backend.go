package onboard

import (
	"fmt"
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

// CheckBackend says whether WriteBackend can write req's language and product, before a folder is chosen.
func CheckBackend(req BackendRequest) error {
	return backend.Options{Language: req.Language, Product: req.Product}.Check()
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
