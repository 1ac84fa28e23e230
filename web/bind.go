package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// decodeJSON reads the request body into v strictly: JSON only, one object, no unknown fields, right
// types, every string acceptable text (checkJSONText). Every failure is a 4xx that names what is wrong;
// nothing has been written when it returns one.
func decodeJSON(c echo.Context, v any) error {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEApplicationJSON {
		return newError(http.StatusUnsupportedMediaType, "unsupported_media_type", "Send the body as application/json.")
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return jsonError(err)
	}
	// encoding/json would silently turn invalid UTF-8 into U+FFFD; refuse it instead.
	if !utf8.Valid(body) {
		return &apiError{Status: http.StatusBadRequest, Code: "invalid_encoding", Message: "The body must be UTF-8 encoded JSON.",
			Fields: map[string]string{"body": "must be valid UTF-8 text"}}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return he
		}
		return newError(http.StatusBadRequest, "invalid_json", "The body must hold exactly one JSON object.")
	}
	// A "\u0000" escape is valid JSON but not text PostgreSQL can store.
	return checkJSONText(v)
}

func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var he *echo.HTTPError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		return he // the body limit
	case errors.As(err, &tooBig):
		return newError(http.StatusRequestEntityTooLarge, "body_too_large", "The request body is too large.")
	case errors.Is(err, io.EOF):
		return newError(http.StatusBadRequest, "invalid_json", "The request body is empty; send a JSON object.")
	case errors.As(err, &syntax):
		return newError(http.StatusBadRequest, "invalid_json", fmt.Sprintf("The body is not valid JSON (at byte %d).", syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return newError(http.StatusBadRequest, "invalid_json", "The body is not valid JSON (it ends too early).")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return newError(http.StatusBadRequest, "invalid_json", fmt.Sprintf("The body must be a JSON object, not %s.", typ.Value))
		}
		return &apiError{Status: http.StatusBadRequest, Code: "invalid_type", Message: "A field has the wrong type.",
			Fields: map[string]string{field: "must be " + article(typ.Type.Kind().String())}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &apiError{Status: http.StatusBadRequest, Code: "unknown_field", Message: fmt.Sprintf("Unknown field %q.", name),
			Fields: map[string]string{name: "is not a known field"}}
	default:
		return newError(http.StatusBadRequest, "invalid_json", "The body is not valid JSON.")
	}
}

func article(kind string) string {
	switch kind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "struct", "map":
		return "an object"
	default:
		return "a " + kind
	}
}
