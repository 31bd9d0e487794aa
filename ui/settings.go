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
	"flinks-onboard/storage"
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

// showSettings opens the Settings dialog: theme, language, callback port, notifications, the offline demo's
// webhooks. Theme and language apply at once; the rest when saved.
func (s *shell) showSettings() {
	themes := []settingsChoice{{"", lang.L("System")}, {"light", lang.L("Light")}, {"dark", lang.L("Dark")}}
	langs := []settingsChoice{{"", lang.L("System")}, {"en", "English"}, {"fr", "Français"}}
	themeSel := widget.NewSelect(choiceLabels(themes), nil)
	themeSel.PlaceHolder = lang.L("(Select one)")
	themeSel.SetSelectedIndex(choiceIndex(themes, s.prefs.Theme))
	langSel := widget.NewSelect(choiceLabels(langs), nil)
	langSel.PlaceHolder = lang.L("(Select one)")
	langSel.SetSelectedIndex(choiceIndex(langs, s.prefs.Language))
	port := widget.NewEntry()
	port.SetPlaceHolder(lang.L("any free port"))
	if s.prefs.CallbackPort > 0 {
		port.SetText(strconv.Itoa(s.prefs.CallbackPort))
	}
	portErr := widget.NewLabel("")
	portErr.Importance = widget.DangerImportance
	portErr.Wrapping = fyne.TextWrapWord
	portErr.Hide()
	notify, notifyRow := newWrappingCheck(lang.L("Notify me when a link, a fetch or a checklist run finishes while the window is in the background"), nil)
	notify.SetChecked(!s.prefs.NotificationsOff)
	hooks, hooksRow := newWrappingCheck(lang.L("Receive the offline demo's webhooks in the Activity log"), nil)
	hooks.SetChecked(!s.prefs.DemoWebhooksOff)
	hint := widget.NewLabel(lang.L("The theme and the language apply at once; the webhook switch at the next start."))
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapWord

	form := widget.NewForm(
		widget.NewFormItem(lang.L("Theme"), themeSel),
		widget.NewFormItem(lang.L("Language"), langSel),
		widget.NewFormItem(lang.L("Callback port"), container.NewVBox(port, portErr)),
	)
	var d dialog.Dialog
	d = dialog.NewCustomConfirm(lang.L("Settings"), lang.L("Save"), lang.L("Cancel"),
		container.NewVBox(form, notifyRow, hooksRow, hint), func(ok bool) {
			if !ok {
				return
			}
			p, err := parsePort(port.Text)
			if err != nil {
				portErr.SetText(err.Error())
				portErr.Show()
				showDialog(s.win, d)
				return
			}
			s.applySettings(themes[themeSel.SelectedIndex()].value, langs[langSel.SelectedIndex()].value, p,
				!notify.Checked, !hooks.Checked)
		}, s.win)
	d.Resize(fyne.NewSize(fyne.Min(560, s.win.Canvas().Size().Width-40), 0))
	showDialog(s.win, d)
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

// applySettings saves the settings and applies the theme and the language at once (the window is rebuilt in the
// new language, on the same page).
func (s *shell) applySettings(themePref, langPref string, port int, notifyOff, hooksOff bool) {
	relang := langPref != s.prefs.Language
	s.prefs.Theme, s.prefs.Language, s.prefs.CallbackPort = themePref, langPref, port
	s.prefs.NotificationsOff, s.prefs.DemoWebhooksOff = notifyOff, hooksOff
	s.savePrefs(func(p *storage.Prefs) {
		p.Theme, p.Language, p.CallbackPort, p.NotificationsOff, p.DemoWebhooksOff = themePref, langPref, port, notifyOff, hooksOff
	})
	applyTheme(s.app, themePref)
	if relang {
		_ = applyLanguage(langPref)
		s.win.SetTitle(lang.L("Flinks Onboarding Assistant"))
		s.build(s.current)
	}
}
