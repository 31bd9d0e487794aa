package ui

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/assets"
)

// applyTheme sets the app's theme from the preference: "light", "dark", or the system's (ui/theme.go).
func applyTheme(a fyne.App, pref string) {
	a.Settings().SetTheme(themeFor(pref))
}

// systemLocale is the locale environment the app started with, for "Language: system".
var systemLocale = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		m[k] = os.Getenv(k)
	}
	return m
}()

// applyLanguage makes Fyne's lang package answer in the preferred language ("en", "fr", or "" for the system's).
func applyLanguage(pref string) error {
	setLocale(pref)
	return loadTranslations()
}

// setLocale sets the locale variables Fyne reads for the preferred language. Fyne 2.7 has no call to choose the
// language: it reads the locale from the environment whenever translations are added, so the variables are set
// first and the translations added (again) after them.
func setLocale(pref string) {
	for k, v := range systemLocale {
		os.Setenv(k, v)
	}
	switch pref {
	case "fr":
		os.Setenv("LANGUAGE", "fr")
		os.Setenv("LC_ALL", "fr_CA.UTF-8")
	case "en":
		os.Setenv("LANGUAGE", "en")
		os.Setenv("LC_ALL", "en_US.UTF-8")
	}
}

// loadTranslations adds the English texts, and the French ones only when the locale set by setLocale may ask for
// French: parsing fr.json is two thirds of the translations' cost at start-up (scripts/bench-startup.sh), and
// Settings ▸ Language loads it when French is chosen later.
func loadTranslations() error {
	files := []string{"en"}
	if localeMayBeFrench() {
		files = append(files, "fr")
	}
	for _, name := range files {
		data, err := assets.Translations.ReadFile("translations/" + name + ".json")
		if err == nil {
			err = lang.AddTranslationsForLocale(data, fyne.Locale(name))
		}
		if err != nil {
			return fmt.Errorf("translations/%s.json: %w", name, err)
		}
	}
	return nil
}

// localeMayBeFrench says whether any locale variable names French (LANGUAGE may list several languages, "de:fr"):
// then Fyne, which picks the closest translation among those loaded, may choose French.
func localeMayBeFrench() bool {
	for _, k := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		for _, l := range strings.Split(os.Getenv(k), ":") {
			if strings.HasPrefix(strings.ToLower(l), "fr") {
				return true
			}
		}
	}
	return false
}

// settingsChoice pairs a stored value with its label.
type settingsChoice struct{ value, label string }

func choiceLabels(cs []settingsChoice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.label
	}
	return out
}

func choiceIndex(cs []settingsChoice, value string) int {
	for i, c := range cs {
		if c.value == value {
			return i
		}
	}
	return 0
}

// settings are what the Settings dialog changes, as stored in storage.Prefs.
type settings struct {
	theme, language        string // "", "light" or "dark"; "", "en" or "fr"
	callbackPort           int    // 0: any free port
	notifyOff, webhooksOff bool
}

// settingsHooks are what the Settings dialog tells the rest of the app. Call them on the UI goroutine.
type settingsHooks struct {
	saved func(settings) // the user saved: remember them, and apply the theme and the language at once
}

// settingsDialog is the Settings dialog: theme, language, callback port, notifications, the offline demo's
// webhooks. Theme and language apply at once; the rest when saved.
type settingsDialog struct {
	deps   screenDeps
	hooks  settingsHooks
	themes []settingsChoice
	langs  []settingsChoice

	theme    *widget.Select
	language *widget.Select
	port     *widget.Entry
	portErr  *widget.Label
	notify   *followCheck
	webhooks *followCheck
	dialog   dialog.Dialog
}

// newSettingsDialog builds the Settings dialog showing current; show opens it.
func newSettingsDialog(deps screenDeps, current settings, hooks settingsHooks) *settingsDialog {
	d := &settingsDialog{deps: deps, hooks: hooks,
		themes:  []settingsChoice{{"", lang.L("System")}, {"light", lang.L("Light")}, {"dark", lang.L("Dark")}},
		langs:   []settingsChoice{{"", lang.L("System")}, {"en", "English"}, {"fr", "Français"}},
		port:    widget.NewEntry(),
		portErr: widget.NewLabel("")}
	d.theme = widget.NewSelect(choiceLabels(d.themes), nil)
	d.theme.PlaceHolder = lang.L("(Select one)")
	d.theme.SetSelectedIndex(choiceIndex(d.themes, current.theme))
	d.language = widget.NewSelect(choiceLabels(d.langs), nil)
	d.language.PlaceHolder = lang.L("(Select one)")
	d.language.SetSelectedIndex(choiceIndex(d.langs, current.language))
	d.port.SetPlaceHolder(lang.L("any free port"))
	if current.callbackPort > 0 {
		d.port.SetText(strconv.Itoa(current.callbackPort))
	}
	d.portErr.Importance = widget.DangerImportance
	d.portErr.Wrapping = fyne.TextWrapWord
	d.portErr.Hide()
	notify, notifyRow := newWrappingCheck(newFocusScroll(deps), lang.L("Notify me when a link, a fetch or a checklist run finishes while the window is in the background"), nil)
	d.notify = notify
	d.notify.SetChecked(!current.notifyOff)
	webhooks, webhooksRow := newWrappingCheck(newFocusScroll(deps), lang.L("Receive the offline demo's webhooks in the Activity log"), nil)
	d.webhooks = webhooks
	d.webhooks.SetChecked(!current.webhooksOff)
	hint := widget.NewLabel(lang.L("The theme and the language apply at once; the webhook switch at the next start."))
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapWord

	form := widget.NewForm(
		widget.NewFormItem(lang.L("Theme"), d.theme),
		widget.NewFormItem(lang.L("Language"), d.language),
		widget.NewFormItem(lang.L("Callback port"), container.NewVBox(d.port, d.portErr)),
	)
	d.dialog = dialog.NewCustomConfirm(lang.L("Settings"), lang.L("Save"), lang.L("Cancel"),
		container.NewVBox(form, notifyRow, webhooksRow, hint), d.confirmed, deps.win)
	d.dialog.Resize(fyne.NewSize(fyne.Min(560, deps.win.Canvas().Size().Width-40), 0))
	return d
}

func (d *settingsDialog) show() { showDialog(d.deps.win, d.dialog) }

// confirmed saves the settings, or shows the dialog again with the port's error.
func (d *settingsDialog) confirmed(ok bool) {
	if !ok {
		return
	}
	p, err := parsePort(d.port.Text)
	if err != nil {
		d.portErr.SetText(err.Error())
		d.portErr.Show()
		d.show()
		return
	}
	d.hooks.saved(settings{theme: d.themes[d.theme.SelectedIndex()].value,
		language: d.langs[d.language.SelectedIndex()].value, callbackPort: p,
		notifyOff: !d.notify.Checked, webhooksOff: !d.webhooks.Checked})
}

// parsePort reads the callback port field: empty or 0 for any free port.
func parsePort(text string) (int, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, nil
	}
	p, err := strconv.Atoi(text)
	if err != nil || p < 0 || p > 65535 {
		return 0, errPort
	}
	return p, nil
}

type portError struct{}

func (portError) Error() string {
	return lang.L("The callback port is a number from 1 to 65535; leave it empty for any free port.")
}

var errPort = portError{}
