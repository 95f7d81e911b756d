package server

import (
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// notBuiltPage is served when the binary was built without the web app.
const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LinkLab</title></head>
<body><h1>LinkLab</h1><p>This binary was built without the web app. Build it with <code>make build</code>
(or run <code>make run</code>). The API is served under <code>/api/</code>.</p></body></html>`

// serveApp serves the embedded web app: files by path, and index.html for
// every other path, so the app's own routes work as deep links.
func (s *Server) serveApp(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return fiber.ErrMethodNotAllowed
	}
	if s.cfg.Assets == nil {
		c.Type("html", "utf-8")
		return c.SendString(notBuiltPage)
	}
	name := strings.TrimPrefix(path.Clean("/"+c.Path()), "/")
	if name != "" && name != "index.html" {
		if b, err := fs.ReadFile(s.cfg.Assets, name); err == nil {
			ct := mime.TypeByExtension(path.Ext(name))
			if path.Ext(name) == ".webmanifest" {
				ct = "application/manifest+json" // not in every system's table
			}
			if ct != "" {
				c.Set(fiber.HeaderContentType, ct)
			}
			if strings.HasPrefix(name, "assets/") {
				// Vite puts a content hash in these names.
				c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
			}
			return c.Send(b)
		}
		if path.Ext(name) != "" {
			return fiber.ErrNotFound
		}
	}
	b, err := fs.ReadFile(s.cfg.Assets, "index.html")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Type("html", "utf-8")
	return c.Send(b)
}
