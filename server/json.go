package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
)

// decode reads a JSON request body into v: it must be JSON, one object,
// and name no field v does not have, so a typo is an error, not a no-op.
func decode(c *fiber.Ctx, v any) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return labs.Errorf(labs.EInvalid, "Send a JSON body with Content-Type: application/json.")
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return labs.Errorf(labs.EInvalid, "The request body is empty; send a JSON object.")
		case errors.As(err, &syn):
			return labs.Errorf(labs.EInvalid, "The request body is not valid JSON (at byte %d).", syn.Offset)
		case errors.As(err, &typ):
			return labs.Errorf(labs.EInvalid, "Field %q must be a %s.", typ.Field, typ.Type.Kind())
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return labs.Errorf(labs.EInvalid, "Unknown field %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return labs.Errorf(labs.EInvalid, "The request body is not valid JSON.")
	}
	if dec.More() {
		return labs.Errorf(labs.EInvalid, "Send one JSON object, not several.")
	}
	return nil
}

// pageOf reads ?after= and ?limit= and checks them.
func pageOf(c *fiber.Ctx) (labs.Page, error) {
	p := labs.Page{After: c.Query("after")}
	if p.After != "" && len(p.After) > 64 {
		return p, labs.Errorf(labs.EInvalid, "The after cursor is too long.")
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > labs.MaxPageLimit {
			return p, labs.Errorf(labs.EInvalid, "limit must be a whole number from 1 to %d.", labs.MaxPageLimit)
		}
		p.Limit = n
	}
	return p.Normalize(), nil
}

// listBody is the JSON shape of every paged listing.
type listBody[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}

func list[T, V any](items []T, next string, view func(T) V) listBody[V] {
	out := listBody[V]{Items: make([]V, len(items)), Next: next}
	for i, it := range items {
		out.Items[i] = view(it)
	}
	return out
}

func requireID(c *fiber.Ctx, param, what string) (string, error) {
	id := c.Params(param)
	if !labs.ValidID(id) {
		return "", labs.Errorf(labs.EInvalid, "%q is not %s ID.", id, what)
	}
	return id, nil
}

// fieldLimit checks a free-text field's byte length before any other work.
func fieldLimit(name, v string, max int) error {
	if len(v) > max {
		return labs.Errorf(labs.ETooLarge, "%s is longer than %s bytes.", name, fmt.Sprint(max))
	}
	return nil
}

// mustJSON encodes an event built from our own view types, which always
// encode.
func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
