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

// listDocuments lists the lab's documents the person may read. A page may
// hold fewer items than the limit (the hidden ones are left out, and not
// counted anywhere); next still walks the whole list.
func (s *Server) listDocuments(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := s.cfg.Store.ListDocuments(ctx, labOf(c).ID, p)
	if err != nil {
		return err
	}
	acc := accountOf(c)
	sub, _, err := s.subjectIn(ctx, acc, labOf(c).ID)
	if err != nil {
		return err
	}
	visible, err := s.readableDocuments(sub, acc, items)
	if err != nil {
		return err
	}
	return c.JSON(list(visible, next, viewDocument))
}
