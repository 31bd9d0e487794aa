package assets

import "embed"

// Report holds the templates of the go-live report (flinks/report.go): Markdown and a self-contained HTML page.
// They are embedded so a report written offline looks the same as one written anywhere else.
//
//go:embed report
var Report embed.FS
