package server

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
)

// statusOf is the one table from domain error codes to HTTP statuses.
var statusOf = map[string]int{
	labs.EInvalid:         fiber.StatusBadRequest,
	labs.EUnauthenticated: fiber.StatusUnauthorized,
	labs.EForbidden:       fiber.StatusForbidden,
	labs.ENotFound:        fiber.StatusNotFound,
	labs.EConflict:        fiber.StatusConflict,
	labs.ETooLarge:        fiber.StatusRequestEntityTooLarge,
	labs.ERateLimited:     fiber.StatusTooManyRequests,
	labs.EInternal:        fiber.StatusInternalServerError,
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error struct {
		Code      string `json:"code"`
		Reason    string `json:"reason,omitempty"`
		Message   string `json:"message"`
		RequestID string `json:"requestId"`
	} `json:"error"`
}

// fromFiber turns Fiber's own errors (no route, body too large, ...) into
// domain errors with messages a person can act on.
func fromFiber(fe *fiber.Error) error {
	switch fe.Code {
	case fiber.StatusRequestEntityTooLarge:
		return labs.Errorf(labs.ETooLarge, "The request body is too large.")
	case fiber.StatusNotFound:
		return labs.Errorf(labs.ENotFound, "Not found.")
	case fiber.StatusMethodNotAllowed:
		return labs.Errorf(labs.ENotFound, "This route does not accept that method.")
	case fiber.StatusRequestHeaderFieldsTooLarge:
		return labs.Errorf(labs.ETooLarge, "The request headers are too large.")
	}
	if fe.Code >= 400 && fe.Code < 500 {
		return labs.Errorf(labs.EInvalid, "The request is malformed.")
	}
	return &labs.Error{Code: labs.EInternal, Message: "An internal error occurred.", Err: fe}
}

// handleError writes err as JSON. Only internal errors are logged with
// their cause; the client sees the safe message and the code.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		err = fromFiber(fe)
	}
	code := labs.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status, code = fiber.StatusInternalServerError, labs.EInternal
	}
	var body errorBody
	body.Error.Code = code
	body.Error.Message = labs.ErrorMessage(err)
	body.Error.Reason = labs.ErrorReason(err)
	body.Error.RequestID = requestIDOf(c)
	if code == labs.EInternal {
		s.log.ErrorContext(c.UserContext(), "request failed", "requestId", body.Error.RequestID,
			"route", c.Route().Path, "err", err)
	}
	if code == labs.ERateLimited {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(60))
	}
	b, _ := json.Marshal(body) // a struct of strings always marshals
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Status(status).Send(b)
}
