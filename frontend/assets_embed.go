//go:build embedui

// Package frontend embeds the built web app (frontend/dist).
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Assets returns the built web app.
func Assets() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a literal that the embed directive guarantees
	}
	return sub
}
