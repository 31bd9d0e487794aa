// Package assets embeds what the app ships with: the icon, the translations and (web.go) the pages the loopback
// listener serves. Nothing here is read from disk at run time.
package assets

import (
	"embed"
	_ "embed"
)

// Icon is the application icon (512×512 PNG).
//
//go:embed icon.png
var Icon []byte

// Translations holds translations/en.json and translations/fr.json for fyne's lang package.
//
//go:embed translations
var Translations embed.FS
