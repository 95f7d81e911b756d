//go:build !embedui

// Package frontend embeds the built web app (frontend/dist) into the binary
// when built with the embedui tag, as make build does. Without the tag,
// which is how a clean clone builds before npm has run, there is no app and
// the server shows a page that says how to build it.
package frontend

import "io/fs"

// Assets returns nil: this binary was built without the web app.
func Assets() fs.FS { return nil }
