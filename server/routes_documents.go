package server

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
)

type documentView struct {
	ID         string            `json:"id"`
	LabID      string            `json:"labId"`
	Kind       labs.DocumentKind `json:"kind"`
	Template   string            `json:"template"`
	Title      string            `json:"title"`
	Visibility labs.Visibility   `json:"visibility"`
	UpdatedAt  time.Time         `json:"updatedAt"`
}

func viewDocument(d labs.Document) documentView {
	return documentView{ID: d.ID, LabID: d.LabID, Kind: d.Kind, Template: d.Template, Title: d.Title,
		Visibility: d.Visibility, UpdatedAt: d.UpdatedAt}
}

// listDocuments lists a lab's documents. Private drafts and documents for
// named members are left out until the lab domain decides who sees them;
// the page may then hold fewer items than the limit, and next still walks
// the whole list.
func (s *Server) listDocuments(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := s.cfg.Store.ListDocuments(c.UserContext(), labOf(c).ID, p)
	if err != nil {
		return err
	}
	visible := items[:0]
	for _, d := range items {
		if openForNow(d) {
			visible = append(visible, d)
		}
	}
	return c.JSON(list(visible, next, viewDocument))
}
