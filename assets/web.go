package assets

import "embed"

// Web holds the pages the loopback callback server serves while an account is being linked (flinks/loopback.go):
// the Connect host page, the status pages and their texts in English and French. They are embedded so the single
// binary works offline and nothing on disk can be swapped under it.
//
//go:embed web
var Web embed.FS
