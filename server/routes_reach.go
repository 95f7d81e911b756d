package server

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
)

// reachView tells whoever may share a document who each level would let
// read it, so the app can say it in plain words ("Only the 7 people in this
// lab", "Also the national partners of 5 countries") and offer the lab's
// members to name.
type reachView struct {
	Lab      labPeople     `json:"lab"`
	Partners partnersReach `json:"partners"`
	Members  []namedPerson `json:"members"`
}

type labPeople struct {
	People int `json:"people"`
}

type partnersReach struct {
	Organisations int `json:"organisations"`
	Countries     int `json:"countries"`
}

type namedPerson struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// documentReach answers GET /api/documents/{doc}/reach.
func (s *Server) documentReach(c *fiber.Ctx) error {
	ctx := c.UserContext()
	d := documentOf(c)
	out := reachView{Members: []namedPerson{}}
	if !d.InNetwork() {
		err := eachPage(ctx, func(p labs.Page) (string, error) {
			items, next, err := s.cfg.Store.ListMemberships(ctx, d.LabID, p)
			for _, m := range items {
				out.Members = append(out.Members, namedPerson{ID: m.AccountID, Name: m.DisplayName})
			}
			return next, err
		})
		if err != nil {
			return err
		}
		out.Lab.People = len(out.Members)
	}
	countries := map[string]bool{}
	err := eachPage(ctx, func(p labs.Page) (string, error) {
		items, next, err := s.cfg.Store.ListPartnerOrgs(ctx, p)
		for _, o := range items {
			out.Partners.Organisations++
			countries[o.Country] = true
		}
		return next, err
	})
	if err != nil {
		return err
	}
	out.Partners.Countries = len(countries)
	return c.JSON(out)
}

// eachPage calls read with every page of a listing until it says there is
// no next one.
func eachPage(ctx context.Context, read func(labs.Page) (string, error)) error {
	p := labs.Page{Limit: labs.MaxPageLimit}
	for {
		next, err := read(p)
		if err != nil || next == "" {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.After = next
	}
}
