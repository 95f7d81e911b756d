package server

import (
	"unicode/utf16"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
)

type previewRequest struct {
	Text string `json:"text"`
}

// preview renders Markdown as the app shows it beside the editor: what the
// person has typed, confirmed by the server or not yet. The HTML is
// sanitized here, so the app may put it in the page as it is.
func (s *Server) preview(c *fiber.Ctx) error {
	var in previewRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := fieldLimit("text", in.Text, 4*labs.MaxSectionLength); err != nil {
		return err
	}
	n := 0
	for _, r := range in.Text {
		n += max(1, utf16.RuneLen(r))
	}
	if n > labs.MaxSectionLength {
		return labs.Errorf(labs.ETooLarge, "text is %d characters long; a section holds at most %d.", n, labs.MaxSectionLength)
	}
	html, err := s.markdown.Render(in.Text)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"html": html})
}
